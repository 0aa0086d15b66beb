package io.streamlearn.runtime.html;

import io.streamlearn.core.text.Html;

/**
 * The shell of the self-contained pages (the demo's report, the drift report, the runs page): one stylesheet inline,
 * no script, nothing fetched from elsewhere, so a page opens anywhere, offline too, and looks like the others.
 */
public final class HtmlPage {

    private static final String STYLE = "body{font-family:sans-serif;margin:1.5em 2em;color:#222;max-width:1240px}"
            + "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ddd}"
            + "h3{font-size:1em;margin:.8em 0 .3em}"
            + "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;"
            + "vertical-align:top}th{background:#f3f3f3;text-align:left}td.num{text-align:right;"
            + "font-variant-numeric:tabular-nums}.muted{color:#777}.charts{display:flex;flex-wrap:wrap;gap:8px 16px}"
            + ".drift{color:#b00}.badge{display:inline-block;padding:1px 6px;border-radius:3px;font-size:12px}"
            + ".promoted{background:#dff0df}.rejected{background:#fbefd9}.failed{background:#f8dede}"
            + ".running{background:#e4ecf7}code{font-size:12px}details summary{cursor:pointer;color:#1f5fa8}";

    private HtmlPage() {
    }

    /** The page up to its {@code <h1>}, with the shared style and the page's own rules ({@code css}, may be empty). */
    public static StringBuilder start(String title, String css) {
        return new StringBuilder(32_768).append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width\"><title>").append(Html.escape(title))
                .append("</title><style>").append(STYLE).append(css).append("</style></head><body><h1>")
                .append(Html.escape(title)).append("</h1>");
    }

    public static String end(StringBuilder html) {
        return html.append("</body></html>\n").toString();
    }
}
