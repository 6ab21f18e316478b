using System.Globalization;
using System.Reflection;
using System.Text;

namespace AlgoPerf.Trainer.Submissions;

/// <summary>
/// A trial's hyperparameters as the submission receives them (the reference's <c>Hyperparameters</c> namedtuple):
/// name to value, in search-space order, exactly as the tuner planned them (<c>TrialPlanned.Hyperparameters</c>,
/// <c>hparams.json</c>). Typed access: <see cref="Get"/> and friends, or <see cref="Bind{T}"/> onto a record whose
/// constructor parameters name the keys. Self-tuning trials get none (null), not an empty set.
/// </summary>
public sealed class Hyperparameters
{
    private readonly Dictionary<string, double> _byName;

    /// <summary>Wraps name/value pairs; <paramref name="source"/> names where they came from in errors.</summary>
    /// <exception cref="ArgumentException">A name is empty or repeated.</exception>
    public Hyperparameters(IEnumerable<KeyValuePair<string, double>> values, string source = "hyperparameters")
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(source);
        Values = values.ToList();
        Source = source;
        _byName = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in Values)
        {
            if (string.IsNullOrEmpty(name))
            {
                throw new ArgumentException($"{source}: a hyperparameter has an empty name", nameof(values));
            }

            if (!_byName.TryAdd(name, value))
            {
                throw new ArgumentException($"{source}: hyperparameter '{name}' appears twice", nameof(values));
            }
        }
    }

    /// <summary>Name to value, in the given (search-space) order.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Values { get; }

    /// <summary>Where the values came from (a file, a trial), for error messages.</summary>
    public string Source { get; }

    /// <summary>The names, in order.</summary>
    public IEnumerable<string> Names => Values.Select(v => v.Key);

    /// <summary>Whether a hyperparameter of that name is set.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The value of <paramref name="name"/>.</summary>
    /// <exception cref="HyperparameterException">It is not set; the message names it and lists the names that are.</exception>
    public double Get(string name) => _byName.TryGetValue(name, out var v) ? v : throw Missing([name]);

    /// <summary>The value of <paramref name="name"/>, or <paramref name="fallback"/> when it is not set.</summary>
    public double GetOrDefault(string name, double fallback) => _byName.TryGetValue(name, out var v) ? v : fallback;

    /// <summary>The value of <paramref name="name"/>, or null when it is not set (optional settings such as <c>grad_clip</c>).</summary>
    public double? Find(string name) => _byName.TryGetValue(name, out var v) ? v : null;

    /// <summary>The value of <paramref name="name"/> as an integer.</summary>
    /// <exception cref="HyperparameterException">It is not set, or not an integer in range.</exception>
    public int GetInt32(string name) => ToInt32(name, Get(name));

    /// <summary>The value of <paramref name="name"/> as a flag: 0 is false, 1 is true.</summary>
    /// <exception cref="HyperparameterException">It is not set, or neither 0 nor 1.</exception>
    public bool GetBoolean(string name) => ToBoolean(name, Get(name));

    /// <summary>
    /// Binds the values onto <typeparamref name="T"/>'s public constructor with the most parameters: each parameter
    /// takes the hyperparameter named by its <see cref="HyperparameterNameAttribute"/> or, without one, its name in
    /// snake_case (<c>oneMinusBeta1</c> → <c>one_minus_beta1</c>). Parameters of type <c>double</c>, <c>float</c>,
    /// <c>int</c>, <c>long</c>, <c>bool</c> (0/1) and their nullable forms are supported; a parameter with a default
    /// value, or a nullable one, is optional. Keys that no parameter names are ignored (search spaces may carry keys
    /// a submission does not use, such as <c>beta2</c> for momentum).
    /// </summary>
    /// <exception cref="HyperparameterException">Required keys are missing (all of them are named) or a value does not fit its type.</exception>
    public T Bind<T>()
        where T : class
    {
        var ctor = typeof(T).GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"{typeof(T).Name} has no public constructor to bind hyperparameters to");
        var parameters = ctor.GetParameters();
        var args = new object?[parameters.Length];
        var missing = new List<string>();
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            var key = KeyOf(p);
            var underlying = Nullable.GetUnderlyingType(p.ParameterType);
            if (_byName.TryGetValue(key, out var value))
            {
                args[i] = Convert(key, value, underlying ?? p.ParameterType);
            }
            else if (p.HasDefaultValue)
            {
                args[i] = p.DefaultValue;
            }
            else if (underlying is not null)
            {
                args[i] = null;
            }
            else
            {
                missing.Add(key);
            }
        }

        if (missing.Count > 0)
        {
            throw Missing(missing);
        }

        return (T)ctor.Invoke(args);
    }

    /// <summary><c>{name=value, ...}</c> with round-trip values.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("{");
        for (var i = 0; i < Values.Count; i++)
        {
            sb.Append(i == 0 ? string.Empty : ", ").Append(Values[i].Key).Append('=').Append(Values[i].Value.ToString("R", CultureInfo.InvariantCulture));
        }

        return sb.Append('}').ToString();
    }

    /// <summary><c>oneMinusBeta1</c> / <c>OneMinusBeta1</c> → <c>one_minus_beta1</c>.</summary>
    public static string ToSnakeCase(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])))
                {
                    sb.Append('_');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static string KeyOf(ParameterInfo p) =>
        p.GetCustomAttribute<HyperparameterNameAttribute>()?.Name ?? ToSnakeCase(p.Name ?? throw new InvalidOperationException("unnamed constructor parameter"));

    private object Convert(string key, double value, Type type)
    {
        if (type == typeof(double))
        {
            return value;
        }

        if (type == typeof(float))
        {
            return (float)value;
        }

        if (type == typeof(int))
        {
            return ToInt32(key, value);
        }

        if (type == typeof(long))
        {
            return value == Math.Floor(value) && Math.Abs(value) < 9.007199254740992E15
                ? (long)value
                : throw new HyperparameterException(Source, [key], $"{Source}: hyperparameter '{key}' = {Format(value)} is not an integer");
        }

        if (type == typeof(bool))
        {
            return ToBoolean(key, value);
        }

        throw new InvalidOperationException($"hyperparameter '{key}' binds to a parameter of unsupported type {type.Name}");
    }

    private int ToInt32(string key, double value) =>
        value == Math.Floor(value) && value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw new HyperparameterException(Source, [key], $"{Source}: hyperparameter '{key}' = {Format(value)} is not an integer");

    private bool ToBoolean(string key, double value) => value switch
    {
        0 => false,
        1 => true,
        _ => throw new HyperparameterException(Source, [key], $"{Source}: hyperparameter '{key}' = {Format(value)} is not a flag (0 or 1)"),
    };

    private HyperparameterException Missing(IReadOnlyList<string> names) => new(
        Source,
        names,
        $"{Source}: missing hyperparameter{(names.Count == 1 ? string.Empty : "s")} {string.Join(", ", names.Select(n => $"'{n}'"))} (have: {(Values.Count == 0 ? "none" : string.Join(", ", Names))})");

    private static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>Names the hyperparameter a constructor parameter binds to in <see cref="Hyperparameters.Bind{T}"/>.</summary>
/// <param name="name">The hyperparameter's key in the search space.</param>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class HyperparameterNameAttribute(string name) : Attribute
{
    /// <summary>The key.</summary>
    public string Name { get; } = name;
}

/// <summary>A hyperparameter a submission needs is missing or does not fit; <see cref="Names"/> lists the keys concerned.</summary>
public sealed class HyperparameterException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HyperparameterException(string source, IReadOnlyList<string> names, string message)
        : base(message)
    {
        HyperparameterSource = source;
        Names = names;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public HyperparameterException()
        : this("hyperparameters", [], "invalid hyperparameters")
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public HyperparameterException(string message)
        : this("hyperparameters", [], message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public HyperparameterException(string message, Exception innerException)
        : base(message, innerException)
    {
        HyperparameterSource = "hyperparameters";
        Names = [];
    }

    /// <summary>Where the hyperparameters came from (as <see cref="Hyperparameters.Source"/>).</summary>
    public string HyperparameterSource { get; }

    /// <summary>The hyperparameter names concerned.</summary>
    public IReadOnlyList<string> Names { get; }
}
