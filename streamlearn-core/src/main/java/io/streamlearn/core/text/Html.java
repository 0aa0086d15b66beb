package io.streamlearn.core.text;

/**
 * Text for the self-contained HTML pages (the demo's report, the drift report, the runs page). Model, feature and
 * category names come from producers, so they are escaped wherever they appear.
 */
public final class Html {

    private Html() {
    }

    /** The text with {@code < > & " '} replaced by entities, fit for element content and quoted attributes. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
