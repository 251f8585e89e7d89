package dev.awshitbreaks.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.awshitbreaks.core.Action;
import dev.awshitbreaks.core.OperationReport;
import dev.awshitbreaks.core.Outcome;
import dev.awshitbreaks.core.ResourceResult;
import dev.awshitbreaks.core.ServiceKind;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report as a person sees it: rendered by headless Chromium (Debian's package), the screenshot
 * must show the bar charts, each bar as long as its figure says, services above regions.
 */
class ReportHtmlRenderTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path tmp;

    private static ResourceResult r(ServiceKind s, String region, String id, Double hourly) {
        return new ResourceResult(s, region, id, "t", id, Outcome.PAUSED, null, hourly,
                hourly == null ? "unknown: test" : "bundled-table:2026-11");
    }

    /** ec2 0.4, rds 0.2, ecs 0.1 per hour; us-east-1 0.5, eu-west-1 0.2; one unknown price. */
    static OperationReport report() {
        List<ResourceResult> rs = List.of(
                r(ServiceKind.EC2, "us-east-1", "i-1", 0.3),
                r(ServiceKind.EC2, "eu-west-1", "i-2<script>alert(1)</script>", 0.1),
                r(ServiceKind.RDS, "us-east-1", "db-1", 0.1),
                r(ServiceKind.RDS, "eu-west-1", "db-2", 0.1),
                r(ServiceKind.ECS, "us-east-1", "svc", 0.1),
                r(ServiceKind.LAMBDA, "us-east-1", "fn:live", null));
        return new OperationReport("pause-20261125-120000-abcdef", "pause-20261125-120000-abcdef", Action.PAUSE, false,
                "paused", "manual", Instant.parse("2026-11-25T12:00:00Z"), Instant.parse("2026-11-25T12:01:00Z"),
                List.of("eu-west-1", "us-east-1"), OperationReport.countOutcomes(rs), rs, List.of());
    }

    @Test
    void thePageIsSelfContainedAndEscapesWhatAwsReturned() {
        String html = ReportHtml.write(report());

        assertThat(html).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("src=")
                .doesNotContainIgnoringCase("href=").doesNotContainIgnoringCase("url(").doesNotContain("https://")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("Content-Security-Policy").contains("default-src 'none'");
        // the only http:// is the SVG namespace, which names and loads nothing
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).doesNotContain("http://");
        assertThat(html).contains("USD 0.7<").contains("USD 16.80").contains("USD 511.00") // 0.7/h, x24, x730
                .contains("1 with an unknown price");
    }

    @Test
    void headlessChromiumShowsBothBarChartsWithBarsInProportionToTheirFigures() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            fail("Debian's chromium is not installed at " + CHROMIUM + ": run scripts/setup (it installs it) or, as root, "
                    + "apt-get update && apt-get install -y chromium");
        }
        Path page = tmp.resolve("report.html");
        Files.writeString(page, ReportHtml.write(report()), StandardCharsets.UTF_8);
        Path png = tmp.resolve("report.png");

        BufferedImage shot = screenshot(page, png);

        List<int[]> blue = bands(shot, 0x25, 0x63, 0xeb);
        List<int[]> orange = bands(shot, 0xea, 0x58, 0x0c);
        assertThat(blue).as("one bar per service: ec2, ecs, rds (alphabetical)").hasSize(3);
        assertThat(orange).as("one bar per region: eu-west-1, us-east-1").hasSize(2);
        int full = ReportHtml.CHART_WIDTH - ReportHtml.LABEL_WIDTH - ReportHtml.VALUE_WIDTH;
        // bands: {top, bottom, left, right}; bar widths in pixels against the figures
        assertThat(width(blue.get(0))).isCloseTo(full, org.assertj.core.data.Offset.offset(2));          // ec2 0.4
        assertThat(width(blue.get(1))).isCloseTo(full / 4, org.assertj.core.data.Offset.offset(2));      // ecs 0.1
        assertThat(width(blue.get(2))).isCloseTo(full / 2, org.assertj.core.data.Offset.offset(2));      // rds 0.2
        assertThat(width(orange.get(0))).isCloseTo(full * 2 / 5, org.assertj.core.data.Offset.offset(2)); // eu-west-1 0.2
        assertThat(width(orange.get(1))).isCloseTo(full, org.assertj.core.data.Offset.offset(2));         // us-east-1 0.5
        assertThat(blue.get(2)[1]).as("the service chart is above the region chart").isLessThan(orange.get(0)[0]);
        for (int[] band : blue) {
            assertThat(band[1] - band[0] + 1).as("bar height").isCloseTo(ReportHtml.BAR_HEIGHT, org.assertj.core.data.Offset.offset(2));
        }
    }

    @Test
    void headlessChromiumShowsTheBurnRateAsThreeBarsBeforeStopsAndStillBillsInProportion() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            fail("Debian's chromium is not installed at " + CHROMIUM + ": run scripts/setup (it installs it) or, as root, "
                    + "apt-get update && apt-get install -y chromium");
        }
        // before 0.4/hour: the pause stops 0.3 (paused), 0.1 still bills (skipped); one service, so one colour
        List<ResourceResult> rs = List.of(r(ServiceKind.EC2, "us-east-1", "i-1", 0.3),
                new ResourceResult(ServiceKind.EC2, "us-east-1", "i-2", "t", "i-2", Outcome.SKIPPED, "protected", 0.1,
                        "bundled-table:2026-11"));
        OperationReport report = new OperationReport("pause-20261125-120000-abcdef", null, Action.PAUSE, false, "paused",
                "manual", null, null, List.of("us-east-1"), OperationReport.countOutcomes(rs), rs, List.of());
        Path page = tmp.resolve("burn.html");
        Files.writeString(page, ReportHtml.write(report), StandardCharsets.UTF_8);

        BufferedImage shot = screenshot(page, tmp.resolve("burn.png"));

        String c = ReportHtml.burnColour(0);
        List<int[]> bars = bands(shot, Integer.parseInt(c.substring(1, 3), 16), Integer.parseInt(c.substring(3, 5), 16),
                Integer.parseInt(c.substring(5, 7), 16)).stream()
                .filter(b -> b[1] - b[0] + 1 >= ReportHtml.BAR_HEIGHT - 2).toList(); // not the legend's square
        assertThat(bars).as("three bars: before, stops, still bills, top to bottom").hasSize(3);
        int full = ReportHtml.CHART_WIDTH - ReportHtml.LABEL_WIDTH - ReportHtml.BURN_VALUE_WIDTH;
        assertThat(width(bars.get(0))).as("before 0.4").isCloseTo(full, org.assertj.core.data.Offset.offset(2));
        assertThat(width(bars.get(1))).as("stops 0.3").isCloseTo(full * 3 / 4, org.assertj.core.data.Offset.offset(2));
        assertThat(width(bars.get(2))).as("still bills 0.1").isCloseTo(full / 4, org.assertj.core.data.Offset.offset(2));
        assertThat(bars.get(1)[2]).as("each bar starts at the same place").isEqualTo(bars.get(0)[2]).isEqualTo(bars.get(2)[2]);
    }

    private BufferedImage screenshot(Path page, Path png) throws IOException, InterruptedException {
        Path profile = Files.createDirectories(tmp.resolve("profile"));
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--force-device-scale-factor=1", "--user-data-dir=" + profile,
                "--screenshot=" + png, "--window-size=1000,1600", page.toUri().toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("chromium.log").toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 90 s; its log: " + Files.readString(tmp.resolve("chromium.log")));
        }
        if (!Files.exists(png)) {
            fail("chromium exited " + p.exitValue() + " without a screenshot; its log: " + Files.readString(tmp.resolve("chromium.log")));
        }
        return ImageIO.read(png.toFile());
    }

    /** Rows of pixels of this colour grouped into bands of consecutive rows: {top, bottom, left, right}. */
    static List<int[]> bands(BufferedImage img, int r, int g, int b) {
        List<int[]> out = new ArrayList<>();
        int[] current = null;
        for (int y = 0; y < img.getHeight(); y++) {
            int left = -1;
            int right = -1;
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                if (near(rgb >> 16 & 0xff, r) && near(rgb >> 8 & 0xff, g) && near(rgb & 0xff, b)) {
                    left = left < 0 ? x : left;
                    right = x;
                }
            }
            if (left >= 0) {
                if (current == null) {
                    current = new int[] {y, y, left, right};
                    out.add(current);
                } else {
                    current[1] = y;
                    current[2] = Math.min(current[2], left);
                    current[3] = Math.max(current[3], right);
                }
            } else {
                current = null;
            }
        }
        return out;
    }

    private static boolean near(int a, int b) {
        return Math.abs(a - b) <= 8;
    }

    private static int width(int[] band) {
        return band[3] - band[2] + 1;
    }

}
