package io.streamlearn.tools;

import io.streamlearn.tools.pages.HeadlessChromium;
import io.streamlearn.tools.pages.PageLayout;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The documentation's screenshots, taken from a demo's pages rather than by hand: {@code bin/screenshots} runs a short
 * demo and then this command on its output directory.
 */
@Command(name = "screenshots", mixinStandardHelpOptions = true,
        description = "Screenshot the pages a demo wrote (report.html, drift.html, runs.html in --from) with headless "
                + "Chromium at 1200 px wide into --out (demo-report.png, drift-report.png, runs-page.png).")
final class ScreenshotsCommand implements Callable<Integer> {

    /** A page in the demo's output directory and its screenshot's file name in the docs. */
    record Shot(String page, String png) {
    }

    static final List<Shot> SHOTS = List.of(new Shot("report.html", "demo-report.png"),
            new Shot("drift.html", "drift-report.png"), new Shot("runs.html", "runs-page.png"));

    @Option(names = "--from", required = true, paramLabel = "DIR", description = "A demo's --out directory")
    Path from;

    @Option(names = "--out", defaultValue = "docs/images", paramLabel = "DIR",
            description = "Where to write the PNGs (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--max-height", defaultValue = "1300", paramLabel = "PX",
            description = "Shoot at most this much of a page's top, to keep each PNG small (default: ${DEFAULT-VALUE})")
    int maxHeight;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.find();
        Files.createDirectories(out);
        PrintWriter print = spec.commandLine().getOut();
        for (Shot shot : SHOTS) {
            Path html = from.resolve(shot.page());
            PageLayout layout = chromium.layout(html);
            Path png = out.resolve(shot.png());
            chromium.screenshot(html, png, Math.min(layout.height(), maxHeight));
            print.printf(Locale.ROOT, "Wrote %s (%,d bytes) from %s%n", png, Files.size(png), html);
        }
        print.flush();
        return 0;
    }
}
