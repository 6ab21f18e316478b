using System.Globalization;
using System.Net;
using System.Text;
using AlgoPerf.Scorer.Model;

namespace AlgoPerf.Scorer.Reports;

/// <summary>
/// The performance-profile plot as a self-contained SVG written by hand (no plotting library): axes with ticks and
/// labels, a light grid, one step curve ρ(τ) per submission in the reference's colour cycle, and a legend with
/// each submission's score.
/// </summary>
public static class ProfilePlotSvg
{
    /// <summary>Image width in pixels.</summary>
    public const int Width = 960;

    /// <summary>Image height in pixels.</summary>
    public const int Height = 540;

    private const double Left = 80;
    private const double Right = 250;
    private const double Top = 50;
    private const double Bottom = 70;

    /// <summary>Matplotlib's default colour cycle (the reference's plot uses its first five).</summary>
    public static IReadOnlyList<string> Colors { get; } =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>The SVG document for a scoring result.</summary>
    public static string Render(ScoringResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var tau = result.Tau;
        double x0 = tau[0], x1 = tau[^1];
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        double X(double t) => Left + ((t - x0) / (x1 - x0) * plotW);
        double Y(double r) => Top + ((1 - r) * plotH);

        var sb = new StringBuilder();
        Append(sb, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n");
        Append(sb, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>\n");
        Append(sb, $"<text x=\"{Left + (plotW / 2):0.#}\" y=\"28\" font-size=\"18\" text-anchor=\"middle\" fill=\"#222222\">Performance profiles ({Escape(result.Ruleset)})</text>\n");

        // Grid and ticks.
        for (var t = x0; t <= x1 + 1e-9; t += 0.5)
        {
            var x = X(t);
            Append(sb, $"<line x1=\"{x:0.##}\" y1=\"{Top}\" x2=\"{x:0.##}\" y2=\"{Top + plotH}\" stroke=\"#dddddd\" stroke-width=\"1\"/>\n");
            Append(sb, $"<line x1=\"{x:0.##}\" y1=\"{Top + plotH}\" x2=\"{x:0.##}\" y2=\"{Top + plotH + 6}\" stroke=\"#333333\" stroke-width=\"1\"/>\n");
            Append(sb, $"<text x=\"{x:0.##}\" y=\"{Top + plotH + 22}\" font-size=\"13\" text-anchor=\"middle\" fill=\"#333333\">{t:0.0}</text>\n");
        }

        for (var i = 0; i <= 5; i++)
        {
            var r = i / 5.0;
            var y = Y(r);
            Append(sb, $"<line x1=\"{Left}\" y1=\"{y:0.##}\" x2=\"{Left + plotW}\" y2=\"{y:0.##}\" stroke=\"#dddddd\" stroke-width=\"1\"/>\n");
            Append(sb, $"<line x1=\"{Left - 6}\" y1=\"{y:0.##}\" x2=\"{Left}\" y2=\"{y:0.##}\" stroke=\"#333333\" stroke-width=\"1\"/>\n");
            Append(sb, $"<text x=\"{Left - 10}\" y=\"{y + 4.5:0.##}\" font-size=\"13\" text-anchor=\"end\" fill=\"#333333\">{r:0.0}</text>\n");
        }

        // Axes and labels.
        Append(sb, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"#333333\" stroke-width=\"1.2\"/>\n");
        Append(sb, $"<text x=\"{Left + (plotW / 2):0.#}\" y=\"{Height - 18}\" font-size=\"15\" text-anchor=\"middle\" fill=\"#222222\">τ = time to target / best submission's time to target</text>\n");
        Append(sb, $"<text transform=\"translate(24 {Top + (plotH / 2):0.#}) rotate(-90)\" font-size=\"15\" text-anchor=\"middle\" fill=\"#222222\">ρ(τ): proportion of workloads</text>\n");

        // One step curve per submission: ρ is right-continuous, so each grid value holds until the next grid point.
        for (var s = 0; s < result.Submissions.Count; s++)
        {
            var rho = result.Rho[s];
            var path = new StringBuilder();
            Append(path, $"M{X(tau[0]):0.##},{Y(rho[0]):0.##}");
            for (var k = 1; k < tau.Count; k++)
            {
                Append(path, $" H{X(tau[k]):0.##}");
                if (rho[k] != rho[k - 1])
                {
                    Append(path, $" V{Y(rho[k]):0.##}");
                }
            }

            Append(sb, $"<path d=\"{path}\" fill=\"none\" stroke=\"{Colors[s % Colors.Count]}\" stroke-width=\"3\" stroke-linejoin=\"round\" opacity=\"0.85\"><title>{Escape(result.Submissions[s])}</title></path>\n");
        }

        // Legend, best score first.
        var ly = Top + 10;
        Append(sb, $"<text x=\"{Width - Right + 20}\" y=\"{ly + 4}\" font-size=\"14\" font-weight=\"bold\" fill=\"#222222\">submission (score)</text>\n");
        foreach (var s in ScoreText.Ranking(result))
        {
            ly += 26;
            var lx = Width - Right + 20;
            Append(sb, $"<line x1=\"{lx}\" y1=\"{ly:0.##}\" x2=\"{lx + 28}\" y2=\"{ly:0.##}\" stroke=\"{Colors[s % Colors.Count]}\" stroke-width=\"4\"/>\n");
            Append(sb, $"<text x=\"{lx + 36}\" y=\"{ly + 5:0.##}\" font-size=\"13\" fill=\"#222222\">{Escape(Shorten(result.Submissions[s]))} ({ScoreText.Score(result.Scores[s])})</text>\n");
        }

        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static string Shorten(string name) => name.Length <= 22 ? name : name[..21] + "…";

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static void Append(StringBuilder sb, FormattableString text) => sb.Append(text.ToString(CultureInfo.InvariantCulture));
}
