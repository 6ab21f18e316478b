using AlgoPerf.Scorer.Input;

namespace AlgoPerf.Scorer.Tests.Fixtures;

/// <summary>Paths and typed rows of the published v0.6 scoring fixture.</summary>
internal static class FixtureFiles
{
    public static readonly string[] V06BaseWorkloads =
    [
        "criteo1tb", "fastmri", "imagenet_resnet", "imagenet_vit", "librispeech_conformer", "librispeech_deepspeech", "ogbg", "wmt",
    ];

    public static string Dir => Path.Combine(AppContext.BaseDirectory, "Fixtures", "scoring");

    public static string Trials => Path.Combine(Dir, "v06_trials.csv");

    public static CsvDocument Load(string name) => CsvDocument.Load(Path.Combine(Dir, name));

    public static double Number(string text) =>
        NumberText.TryParse(text, out var v) ? v : throw new FormatException($"fixture value '{text}'");

    /// <summary>Formats <paramref name="value"/> with as many decimals as <paramref name="printed"/> has.</summary>
    public static string AsPrinted(double value, string printed)
    {
        var dot = printed.IndexOf('.', StringComparison.Ordinal);
        var decimals = dot < 0 ? 0 : printed.Length - dot - 1;
        return value.ToString("F" + decimals, System.Globalization.CultureInfo.InvariantCulture);
    }
}
