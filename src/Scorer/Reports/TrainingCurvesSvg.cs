using System.Globalization;
using System.Net;
using System.Text;

namespace AlgoPerf.Scorer.Reports;

/// <summary>
/// One workload's training curves as a self-contained SVG written by hand, like <see cref="ProfilePlotSvg"/>: the
/// validation metric against submission time for every trial, coloured by submission (the profile plot's colours),
/// the chosen trial of each study drawn thick with its first hit marked, and the target as a dashed line.
/// </summary>
public static class TrainingCurvesSvg
{
    /// <summary>Image width in pixels.</summary>
    public const int Width = 640;

    /// <summary>Image height in pixels.</summary>
    public const int Height = 400;

    private const double Left = 70;
    private const double Right = 20;
    private const double Top = 40;
    private const double Bottom = 80;

    /// <summary>The SVG document of <paramref name="curves"/>.</summary>
    public static string Render(WorkloadCurves curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var points = curves.Series.SelectMany(s => s.Points).ToList();
        var x1 = Math.Max(1e-9, points.Select(p => p.TimeSec).DefaultIfEmpty(1).Max());
        var values = points.Select(p => p.Metric).Append(curves.Target).Where(double.IsFinite).ToList();
        var (y0, y1) = (values.Min(), values.Max());
        if (y1 - y0 < 1e-12)
        {
            (y0, y1) = (y0 - 0.5, y1 + 0.5);
        }

        var pad = (y1 - y0) * 0.05;
        (y0, y1) = (y0 - pad, y1 + pad);
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        double X(double t) => Left + (t / x1 * plotW);
        double Y(double v) => Top + ((y1 - Math.Clamp(v, y0, y1)) / (y1 - y0) * plotH);

        var sb = new StringBuilder();
        Append(sb, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"curves\" data-workload=\"{E(curves.Workload)}\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n");
        Append(sb, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>\n");
        Append(sb, $"<text x=\"{Left + (plotW / 2):0.#}\" y=\"24\" font-size=\"16\" text-anchor=\"middle\" fill=\"#222222\">{E(curves.Workload)}: {E(curves.Metric)} ({(curves.Minimize ? "lower" : "higher")} is better)</text>\n");
        for (var i = 0; i <= 5; i++)
        {
            var t = x1 * i / 5;
            var v = y0 + ((y1 - y0) * i / 5);
            Append(sb, $"<line x1=\"{X(t):0.##}\" y1=\"{Top}\" x2=\"{X(t):0.##}\" y2=\"{Top + plotH}\" stroke=\"#eeeeee\"/>\n");
            Append(sb, $"<text x=\"{X(t):0.##}\" y=\"{Top + plotH + 18}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#333333\">{t:0.#}</text>\n");
            Append(sb, $"<line x1=\"{Left}\" y1=\"{Y(v):0.##}\" x2=\"{Left + plotW}\" y2=\"{Y(v):0.##}\" stroke=\"#eeeeee\"/>\n");
            Append(sb, $"<text x=\"{Left - 6}\" y=\"{Y(v) + 4:0.##}\" font-size=\"12\" text-anchor=\"end\" fill=\"#333333\">{v:G4}</text>\n");
        }

        Append(sb, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotW}\" height=\"{plotH}\" fill=\"none\" stroke=\"#333333\"/>\n");
        Append(sb, $"<text x=\"{Left + (plotW / 2):0.#}\" y=\"{Top + plotH + 38}\" font-size=\"13\" text-anchor=\"middle\" fill=\"#222222\">submission time (s)</text>\n");
        if (double.IsFinite(curves.Target))
        {
            Append(sb, $"<line class=\"target\" x1=\"{Left}\" y1=\"{Y(curves.Target):0.##}\" x2=\"{Left + plotW}\" y2=\"{Y(curves.Target):0.##}\" stroke=\"#d62728\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"><title>target {curves.Target:G6}</title></line>\n");
        }

        foreach (var s in curves.Series.OrderBy(s => s.Chosen))
        {
            if (s.Points.Count == 0)
            {
                continue;
            }

            var color = ProfilePlotSvg.Colors[Math.Max(0, IndexOf(curves.Submissions, s.Submission)) % ProfilePlotSvg.Colors.Count];
            var path = string.Join(" ", s.Points.Select((p, i) => string.Create(CultureInfo.InvariantCulture, $"{(i == 0 ? 'M' : 'L')}{X(p.TimeSec):0.##},{Y(p.Metric):0.##}")));
            Append(sb, $"<path class=\"trial{(s.Chosen ? " chosen" : string.Empty)}\" d=\"{path}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{(s.Chosen ? 3 : 1.2)}\" opacity=\"{(s.Chosen ? 1 : 0.55)}\"><title>{E(s.Submission)} study {s.Study} trial {s.Trial}{(s.Chosen ? " (chosen)" : string.Empty)}</title></path>\n");
            if (s.Chosen && double.IsFinite(curves.Target))
            {
                var hit = s.Points.FirstOrDefault(p => curves.Minimize ? p.Metric <= curves.Target : p.Metric >= curves.Target);
                if (hit is not null)
                {
                    Append(sb, $"<circle cx=\"{X(hit.TimeSec):0.##}\" cy=\"{Y(hit.Metric):0.##}\" r=\"5\" fill=\"{color}\" stroke=\"#222222\"><title>{E(s.Submission)} study {s.Study}: target at {hit.TimeSec:0.#} s</title></circle>\n");
                }
            }
        }

        // Legend: one entry per submission, and what thick lines and dots mean.
        var lx = Left;
        var ly = Height - 16.0;
        for (var i = 0; i < curves.Submissions.Count; i++)
        {
            var color = ProfilePlotSvg.Colors[i % ProfilePlotSvg.Colors.Count];
            Append(sb, $"<line x1=\"{lx}\" y1=\"{ly - 4}\" x2=\"{lx + 22}\" y2=\"{ly - 4}\" stroke=\"{color}\" stroke-width=\"3\"/><text x=\"{lx + 26}\" y=\"{ly}\" font-size=\"12\" fill=\"#222222\">{E(curves.Submissions[i])}</text>\n");
            lx += 56 + (8 * curves.Submissions[i].Length);
        }

        Append(sb, $"<text x=\"{Width - Right}\" y=\"{ly}\" font-size=\"11\" text-anchor=\"end\" fill=\"#555555\">thick: chosen trial · dot: first hit · dashed: target</text>\n");
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static int IndexOf(IReadOnlyList<string> list, string item)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == item)
            {
                return i;
            }
        }

        return -1;
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static void Append(StringBuilder sb, FormattableString text) => sb.Append(text.ToString(CultureInfo.InvariantCulture));
}
