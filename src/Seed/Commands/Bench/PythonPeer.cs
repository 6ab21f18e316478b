using System.Diagnostics;
using System.Text.Json.Nodes;

namespace AlgoPerf.Seed.Commands.Bench;

/// <summary>The PyTorch peers of the benchmarks: Python scripts under <c>benchmarks/peers/</c> that print one JSON object.</summary>
internal static class PythonPeer
{
    /// <summary>
    /// Finds <paramref name="relativePath"/> above the working directory or the executable's directory (the repository
    /// root holds <c>benchmarks/</c>).
    /// </summary>
    /// <exception cref="IOException">Not found.</exception>
    public static string FindScript(string relativePath)
    {
        foreach (var root in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(root); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relativePath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new IOException($"{relativePath} not found above {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}");
    }

    /// <summary>Runs <paramref name="python"/> <paramref name="script"/> with <paramref name="arguments"/> and parses the last line it prints.</summary>
    /// <param name="python">The interpreter.</param>
    /// <param name="script">The peer script.</param>
    /// <param name="arguments">The script's arguments.</param>
    /// <param name="subject">What the run is for, appended to the "printed nothing" error (e.g. <c>" for fmnist_mlp"</c>).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="IOException">The interpreter could not start or the script failed (its stderr in the message).</exception>
    /// <exception cref="InvalidDataException">The script printed nothing or no JSON object.</exception>
    public static async Task<JsonObject> RunAsync(string python, string script, IEnumerable<string> arguments, string subject, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };

        // The peer (Debian's PyTorch 1.13) does its GEMMs in OpenBLAS's own thread pool, which libgomp's spinning
        // starves: its best setting is PASSIVE (docs/trainer.md §8), whatever ours runs with.
        if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null)
        {
            start.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        }
        start.ArgumentList.Add(script);
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new IOException($"could not start {python}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new IOException($"{python} {script} exited with {process.ExitCode} (needs Debian's python3-torch; --python PATH or --no-peer): {errors.Trim()}");
        }

        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
            ?? throw new InvalidDataException($"{script} printed nothing{subject}");
        return JsonNode.Parse(line) as JsonObject ?? throw new InvalidDataException($"{script} printed no JSON object: {line}");
    }
}
