namespace AlgoPerf.Trainer.Logging;

/// <summary>
/// <c>meta_data_&lt;preemption_count&gt;.json</c> (<c>logger_utils.get_meta_data</c>): the workload's primitive
/// properties as <c>workload.&lt;name&gt;</c> in sorted name order (Python's <c>dir()</c>), then utilisation,
/// software and hardware facts (<see cref="SystemInfo"/>), then <c>rng_seed</c>.
/// </summary>
public static class MetaDataFile
{
    /// <summary>The file's entries in order.</summary>
    /// <param name="workloadProperties">Property name (without the <c>workload.</c> prefix) to value.</param>
    /// <param name="system">Machine facts.</param>
    /// <param name="rngSeed">The trial's seed, or null when unknown.</param>
    public static IReadOnlyList<KeyValuePair<string, LogValue>> Build(IEnumerable<KeyValuePair<string, LogValue>> workloadProperties, SystemInfo system, long? rngSeed)
    {
        ArgumentNullException.ThrowIfNull(workloadProperties);
        ArgumentNullException.ThrowIfNull(system);
        var items = workloadProperties
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new KeyValuePair<string, LogValue>("workload." + p.Key, p.Value))
            .ToList();
        items.AddRange(system.Utilization);
        items.Add(new("os_platform", system.OsPlatform));
        items.Add(new("dotnet_version", system.DotnetVersion));
        AddIfKnown(items, "git_branch", system.GitBranch);
        AddIfKnown(items, "git_commit_hash", system.GitCommitHash);
        AddIfKnown(items, "cpu_model_name", system.CpuModelName);
        items.Add(new("cpu_count", system.CpuCount));
        AddIfKnown(items, "gpu_model_name", system.GpuModelName);
        if (system.GpuCount is int gpus)
        {
            items.Add(new("gpu_count", gpus));
        }

        AddIfKnown(items, "gpu_driver", system.GpuDriver);
        if (rngSeed is long seed)
        {
            items.Add(new("rng_seed", seed));
        }

        return items;
    }

    /// <summary>Writes the file into a trial directory and returns its path.</summary>
    public static string Write(string trialDirectory, int preemptionCount, IEnumerable<KeyValuePair<string, LogValue>> workloadProperties, SystemInfo system, long? rngSeed)
    {
        ArgumentNullException.ThrowIfNull(trialDirectory);
        Directory.CreateDirectory(trialDirectory);
        var path = Path.Combine(trialDirectory, TrialLogLayout.MetaDataFileName(preemptionCount));
        AtomicFile.WriteAllText(path, PythonJson.Serialize(Build(workloadProperties, system, rngSeed)));
        return path;
    }

    private static void AddIfKnown(List<KeyValuePair<string, LogValue>> items, string key, string? value)
    {
        if (value is not null)
        {
            items.Add(new(key, value));
        }
    }
}
