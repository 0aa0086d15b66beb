package io.streamlearn.tools.pages;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Chromium in headless mode, started once per page: lays a page out and reports what a reader would see
 * ({@link #layout}), or takes its screenshot. Needs the {@code chromium} binary (Debian's package: {@code apt-get
 * install chromium}; {@code bin/test} installs it) or {@code STREAMLEARN_CHROMIUM} naming another Chromium or Chrome.
 * The flags keep it off the network: the pages are self-contained and the machines that test them may be closed.
 */
public final class HeadlessChromium {

    /** The width of the window pages are laid out and shot at, in CSS pixels. */
    public static final int WIDTH = 1200;
    private static final long TIMEOUT_SECONDS = 60;
    private static final Pattern LAYOUT = Pattern.compile("data-layout=\"([A-Za-z0-9+/=]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path binary;

    private HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    /**
     * The browser on this machine.
     *
     * @throws IllegalStateException naming how to install it, when there is none
     */
    public static HeadlessChromium find() {
        String given = System.getenv("STREAMLEARN_CHROMIUM");
        List<Path> candidates = new ArrayList<>();
        if (given != null && !given.isBlank()) {
            candidates.add(Path.of(given));
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            for (String name : new String[] {"chromium", "chromium-browser", "google-chrome"}) {
                candidates.add(Path.of(dir, name));
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().map(HeadlessChromium::new)
                .orElseThrow(() -> new IllegalStateException("Chromium not found (checked STREAMLEARN_CHROMIUM and "
                        + "chromium, chromium-browser, google-chrome on PATH): install it, e.g. 'apt-get install -y "
                        + "--no-install-recommends chromium' (bin/test does this when it is missing)"));
    }

    /** The page laid out at {@link #WIDTH} pixels: its charts' ticks, legends and overlaps, its statistics rows. */
    public PageLayout layout(Path page) throws IOException, InterruptedException {
        Path checked = Files.createTempFile(page.toAbsolutePath().getParent(), ".layout-", ".html");
        try {
            String html = Files.readString(page);
            int end = html.lastIndexOf("</body>");
            String script = "<script>" + script() + "</script>";
            Files.writeString(checked, end < 0 ? html + script : html.substring(0, end) + script + html.substring(end));
            String dom = run(List.of("--window-size=" + WIDTH + ",1000", "--dump-dom", checked.toUri().toString()));
            Matcher layout = LAYOUT.matcher(dom);
            if (!layout.find()) {
                throw new IOException("Chromium laid out " + page + " but the layout check did not run");
            }
            return JSON.readValue(Base64.getDecoder().decode(layout.group(1)), PageLayout.class);
        } finally {
            Files.deleteIfExists(checked);
        }
    }

    /** A PNG of the page's top {@code height} pixels at {@link #WIDTH} wide, without a scroll bar. */
    public void screenshot(Path page, Path png, int height) throws IOException, InterruptedException {
        run(List.of("--hide-scrollbars", "--window-size=" + WIDTH + "," + height,
                "--screenshot=" + png.toAbsolutePath(), page.toAbsolutePath().toUri().toString()));
        if (!Files.isRegularFile(png)) {
            throw new IOException("Chromium wrote no screenshot of " + page);
        }
    }

    private String run(List<String> arguments) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("streamlearn-chromium");
        Path output = profile.resolve("stdout");
        try {
            List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile.resolve("profile")));
            command.addAll(arguments);
            Process process = new ProcessBuilder(command).redirectOutput(output.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("Chromium did not finish within " + TIMEOUT_SECONDS + " s: " + command);
            }
            if (process.exitValue() != 0) {
                throw new IOException("Chromium exited with " + process.exitValue() + ": " + command);
            }
            return Files.readString(output);
        } finally {
            try (Stream<Path> paths = Files.walk(profile)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String script() throws IOException {
        try (InputStream in = HeadlessChromium.class.getResourceAsStream("layout-check.js")) {
            if (in == null) {
                throw new IOException("layout-check.js is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
