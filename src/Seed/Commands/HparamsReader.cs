using AlgoPerf.Trainer.Logging;

namespace AlgoPerf.Seed.Commands;

/// <summary>A trial's hyperparameters from an AlgoPerf <c>hparams.json</c> (<c>train --hparams</c>, target-setting reruns).</summary>
internal static class HparamsReader
{
    /// <summary>The name: number pairs in file order.</summary>
    /// <exception cref="InvalidDataException">Malformed JSON, a value that is not a number, or no entry (the message names the file and key).</exception>
    public static List<KeyValuePair<string, double>> Read(string path)
    {
        var values = PythonJson.Parse(path, File.ReadAllText(path));
        var result = new List<KeyValuePair<string, double>>();
        foreach (var (name, value) in values)
        {
            if (value.Kind is not (LogValueKind.Integer or LogValueKind.Float or LogValueKind.Boolean))
            {
                throw new InvalidDataException($"{path}: hyperparameter '{name}' is {value.Kind.ToString().ToLowerInvariant()}, expected a number");
            }

            result.Add(KeyValuePair.Create(name, value.AsDouble));
        }

        return result.Count > 0 ? result : throw new InvalidDataException($"{path}: no hyperparameters (expected a JSON object of name: number)");
    }
}
