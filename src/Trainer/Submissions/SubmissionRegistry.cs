using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;
using AlgoPerf.Trainer.Submissions.Baselines;

namespace AlgoPerf.Trainer.Submissions;

/// <summary>A submission ready to run, with what the orchestrator needs to know about it.</summary>
/// <param name="Name">The built-in name, or <c>path:Namespace.Type</c> for an external one.</param>
/// <param name="Submission">A new instance.</param>
/// <param name="SelfTuning">True for a built-in meant for the self-tuning ruleset (its trials get no hyperparameters).</param>
/// <param name="SearchSpaceJson">The built-in's AlgoPerf <c>tuning_search_space.json</c> text; null for external submissions (pass a file).</param>
/// <param name="SearchSpaceSource">Where the search space comes from (for error messages): <c>submissions/&lt;name&gt;/tuning_search_space.json</c>.</param>
public sealed record ResolvedSubmission(string Name, ISubmission Submission, bool SelfTuning, string? SearchSpaceJson, string? SearchSpaceSource);

/// <summary>A submission name or path could not be resolved; the message says what is missing and what exists.</summary>
public sealed class SubmissionLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SubmissionLoadException()
        : base("the submission could not be loaded")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SubmissionLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public SubmissionLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Resolves a submission by built-in name (<see cref="BuiltInNames"/>) or as an external one,
/// <c>path/to/Assembly.dll:Namespace.Type</c>: the assembly is loaded into its own <see cref="AssemblyLoadContext"/>
/// (its private dependencies resolved from its <c>.deps.json</c>), sharing the host's assemblies (AlgoPerf.Trainer,
/// TorchSharp, ...) so that its type implements the host's <see cref="ISubmission"/>. The type must be a public,
/// non-abstract class with a public parameterless constructor. Every failure is a
/// <see cref="SubmissionLoadException"/> naming the name, file or type, and listing what is known or found.
/// </summary>
public static class SubmissionRegistry
{
    private static readonly Dictionary<string, (Func<ISubmission> Create, bool SelfTuning)> s_builtIns = new(StringComparer.Ordinal)
    {
        ["nadamw"] = (() => new NAdamWSubmission(), false),
        ["adamw"] = (() => new AdamWSubmission(), false),
        ["momentum"] = (() => new MomentumSubmission(), false),
        ["nesterov"] = (() => new NesterovSubmission(), false),
        ["lamb"] = (() => new LambSubmission(), false),
        ["adafactor"] = (() => new AdafactorSubmission(), false),
        ["shampoo"] = (() => new ShampooSubmission(), false),
        ["schedule_free_adamw"] = (() => new ScheduleFreeAdamWSubmission(), true),
    };

    private static readonly ConcurrentDictionary<string, Assembly> s_loaded = new(StringComparer.Ordinal);

    /// <summary>The built-in names, in a fixed order.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = [.. s_builtIns.Keys];

    /// <summary>Whether <paramref name="spec"/> names an external assembly (<c>…dll:Type</c>) rather than a built-in.</summary>
    public static bool IsExternal(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Contains(".dll:", StringComparison.OrdinalIgnoreCase) || spec.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The search-space JSON of built-in <paramref name="name"/>.</summary>
    /// <exception cref="SubmissionLoadException">Not a built-in, or its resource is missing from the build.</exception>
    public static string BuiltInSearchSpace(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!s_builtIns.ContainsKey(name))
        {
            throw UnknownName(name);
        }

        var resource = SearchSpaceResource(name);
        using var stream = typeof(SubmissionRegistry).Assembly.GetManifestResourceStream(resource)
            ?? throw new SubmissionLoadException($"built-in submission '{name}': resource '{resource}' is not in the build (submissions/{name}/tuning_search_space.json missing?)");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Resolves <paramref name="spec"/> to a new submission instance.</summary>
    /// <exception cref="SubmissionLoadException">Unknown name, missing or unloadable assembly, missing or unfit type.</exception>
    public static ResolvedSubmission Resolve(string spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        if (!IsExternal(spec))
        {
            if (!s_builtIns.TryGetValue(spec, out var builtIn))
            {
                throw UnknownName(spec);
            }

            return new ResolvedSubmission(spec, builtIn.Create(), builtIn.SelfTuning, BuiltInSearchSpace(spec), SearchSpaceResource(spec));
        }

        var colon = spec.LastIndexOf(':');
        if (colon < 0 || colon == spec.Length - 1)
        {
            throw new SubmissionLoadException($"external submission '{spec}': expected path/to/Assembly.dll:Namespace.Type (the type name is missing)");
        }

        var path = Path.GetFullPath(spec[..colon]);
        var typeName = spec[(colon + 1)..];
        var assembly = LoadAssembly(path);
        var type = assembly.GetType(typeName, throwOnError: false, ignoreCase: false);
        if (type is null)
        {
            var candidates = SubmissionTypes(assembly);
            throw new SubmissionLoadException(
                $"external submission: type '{typeName}' not found in {path} (submission types there: {(candidates.Count == 0 ? "none" : string.Join(", ", candidates))})");
        }

        return new ResolvedSubmission(spec, Instantiate(type, path), false, null, null);
    }

    private static string SearchSpaceResource(string name) => $"submissions/{name}/tuning_search_space.json";

    private static SubmissionLoadException UnknownName(string name) =>
        new($"unknown submission '{name}'; built-in submissions: {string.Join(", ", s_builtIns.Keys)} (or give path/to/Assembly.dll:Namespace.Type)");

    private static Assembly LoadAssembly(string path)
    {
        if (!File.Exists(path))
        {
            throw new SubmissionLoadException($"external submission: assembly file '{path}' does not exist");
        }

        try
        {
            return s_loaded.GetOrAdd(path, p => new SubmissionLoadContext(p).LoadFromAssemblyPath(p));
        }
        catch (BadImageFormatException e)
        {
            throw new SubmissionLoadException($"external submission: '{path}' is not a .NET assembly: {e.Message}", e);
        }
        catch (FileLoadException e)
        {
            throw new SubmissionLoadException($"external submission: '{path}' could not be loaded: {e.Message}", e);
        }
    }

    private static List<string> SubmissionTypes(Assembly assembly)
    {
        try
        {
            return [.. assembly.GetExportedTypes().Where(t => typeof(ISubmission).IsAssignableFrom(t) && !t.IsAbstract).Select(t => t.FullName ?? t.Name).Order(StringComparer.Ordinal)];
        }
        catch (ReflectionTypeLoadException)
        {
            return [];
        }
    }

    private static ISubmission Instantiate(Type type, string path)
    {
        if (!typeof(ISubmission).IsAssignableFrom(type))
        {
            throw new SubmissionLoadException($"external submission: type '{type.FullName}' in {path} does not implement {typeof(ISubmission).FullName}");
        }

        if (type.IsAbstract || !type.IsPublic || type.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new SubmissionLoadException($"external submission: type '{type.FullName}' in {path} must be a public non-abstract class with a public parameterless constructor");
        }

        try
        {
            return (ISubmission)Activator.CreateInstance(type)!;
        }
        catch (TargetInvocationException e)
        {
            throw new SubmissionLoadException($"external submission: the constructor of '{type.FullName}' threw: {e.InnerException?.Message ?? e.Message}", e.InnerException ?? e);
        }
    }

    /// <summary>One external submission's load context: the host's assemblies shared, its own dependencies from its deps file.</summary>
    private sealed class SubmissionLoadContext(string path) : AssemblyLoadContext($"submission:{Path.GetFileName(path)}")
    {
        private readonly AssemblyDependencyResolver _resolver = new(path);

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            // Host assemblies (the submission API itself, TorchSharp, the BCL) come from the default context, so
            // that ISubmission and Tensor are the same types on both sides.
            var shared = Default.Assemblies.FirstOrDefault(a => AssemblyName.ReferenceMatchesDefinition(a.GetName(), assemblyName) || a.GetName().Name == assemblyName.Name);
            if (shared is not null)
            {
                return shared;
            }

            // The API and the tensor library always come from the host, loaded or not yet: one TorchSharp per process
            // (it owns the native LibTorch), whatever version the submission was built against.
            if (assemblyName.Name is { } name && (name.StartsWith("AlgoPerf.", StringComparison.Ordinal) || name == "TorchSharp"))
            {
                return null;
            }

            var resolved = _resolver.ResolveAssemblyToPath(assemblyName);
            return resolved is null ? null : LoadFromAssemblyPath(resolved);
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
        {
            var resolved = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
            return resolved is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(resolved);
        }
    }
}
