using System.Diagnostics;
using System.Xml.Linq;
using AlgoPerf.Scorer.Input;
using AlgoPerf.Scorer.Model;
using AlgoPerf.Scorer.Procedure;
using AlgoPerf.Scorer.Reports;
using AlgoPerf.Scorer.Tests.Fixtures;

namespace AlgoPerf.Scorer.Tests.Reports;

public sealed class ProfilePlotSvgTests
{
    private static ScoringResult V06External() => ScoringPipeline.Score(
        "external_tuning",
        TrialTableReader.Read(FixtureFiles.Trials).Where(t => t.Ruleset == "external_tuning"),
        new ScoringOptions(FixtureFiles.V06BaseWorkloads, []));

    [Fact]
    public void Render_V06_WellFormedWithAxesLegendAndOneCurvePerSubmission()
    {
        var svg = XDocument.Parse(ProfilePlotSvg.Render(V06External()));
        XNamespace ns = "http://www.w3.org/2000/svg";

        var paths = svg.Descendants(ns + "path").ToList();
        Assert.Equal(2, paths.Count);
        Assert.Equal(["#1f77b4", "#ff7f0e"], paths.Select(p => (string)p.Attribute("stroke")!));
        var texts = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains("shampoo (0.6244)", texts);
        Assert.Contains("baseline (0.4590)", texts);
        Assert.Contains("1.0", texts);
        Assert.Contains("4.0", texts);
        Assert.Contains(texts, t => t.StartsWith("ρ(τ)", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.StartsWith("τ =", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_ThroughRsvgConvert_PngHasSizeAndCurveColours()
    {
        var dir = Directory.CreateTempSubdirectory("algoperf-plot-").FullName;
        try
        {
            var svgPath = Path.Combine(dir, "plot.svg");
            var pngPath = Path.Combine(dir, "plot.png");
            File.WriteAllText(svgPath, ProfilePlotSvg.Render(V06External()));

            RsvgConvert(svgPath, pngPath);
            var png = PngImage.Decode(File.ReadAllBytes(pngPath));

            Assert.Equal(ProfilePlotSvg.Width, png.Width);
            Assert.Equal(ProfilePlotSvg.Height, png.Height);
            var blue = 0;
            var orange = 0;
            var white = 0;
            for (var y = 0; y < png.Height; y++)
            {
                for (var x = 0; x < png.Width; x++)
                {
                    var (r, g, b) = png[x, y];
                    blue += Near(r, g, b, 0x1f, 0x77, 0xb4) ? 1 : 0;
                    orange += Near(r, g, b, 0xff, 0x7f, 0x0e) ? 1 : 0;
                    white += r == 255 && g == 255 && b == 255 ? 1 : 0;
                }
            }

            // Two long step curves (about 600 px wide, 3 px thick) drawn at 0.85 opacity over white.
            Assert.True(blue > 1000, $"baseline curve pixels: {blue}");
            Assert.True(orange > 1000, $"shampoo curve pixels: {orange}");
            Assert.True(white > png.Width * png.Height / 2, $"white pixels: {white}");
            Assert.True(white < png.Width * png.Height, "image is blank");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // The curve colour blended at 0.85 over white; antialiased edges are tolerated by the distance.
    private static bool Near(byte r, byte g, byte b, int cr, int cg, int cb)
    {
        static int Blend(int c) => (int)Math.Round((c * 0.85) + (255 * 0.15));
        return Math.Abs(r - Blend(cr)) + Math.Abs(g - Blend(cg)) + Math.Abs(b - Blend(cb)) < 40;
    }

    private static void RsvgConvert(string svg, string png)
    {
        var psi = new ProcessStartInfo("rsvg-convert", ["-o", png, svg]) { RedirectStandardError = true };
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("rsvg-convert did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("rsvg-convert is required (Debian package librsvg2-bin, installed by scripts/bootstrap.sh)", e);
        }

        using (process)
        {
            var err = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"rsvg-convert failed ({process.ExitCode}): {err}");
        }
    }
}
