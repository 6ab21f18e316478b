namespace AlgoPerf.Trainer.Logging;

/// <summary>
/// A trial's <c>hparams.json</c> (<c>logger_utils.write_hparams</c>): the hyperparameters in search-space key order,
/// <c>indent=2</c>. If the file already exists it is read and its values are used instead, which keeps resumed
/// and parallel runs consistent.
/// </summary>
public static class HparamsFile
{
    /// <summary>The file name.</summary>
    public const string FileName = "hparams.json";

    /// <summary>Writes the hyperparameters, or returns the ones already saved in <paramref name="trialDirectory"/>.</summary>
    /// <exception cref="InvalidDataException">An existing file is not a flat JSON object of scalars; the message names it.</exception>
    public static IReadOnlyList<KeyValuePair<string, LogValue>> WriteOrLoad(string trialDirectory, IReadOnlyList<KeyValuePair<string, LogValue>> hyperparameters)
    {
        ArgumentNullException.ThrowIfNull(trialDirectory);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        var path = Path.Combine(trialDirectory, FileName);
        if (File.Exists(path))
        {
            return PythonJson.Parse(path, File.ReadAllText(path));
        }

        Directory.CreateDirectory(trialDirectory);
        AtomicFile.WriteAllText(path, PythonJson.Serialize(hyperparameters));
        return hyperparameters;
    }
}
