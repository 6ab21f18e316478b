using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace AlgoPerf.Integration.Tests.Cluster;

/// <summary>One <c>algoperf seed</c> or <c>worker</c> child: its outputs as they come, its node log, its end.</summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _run;
    private readonly Func<TimeSpan> _left;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _error = new();
    private readonly Task _reading;

    /// <summary>Takes over a started child; <paramref name="left"/> says how long its test may still wait.</summary>
    public NodeProcess(string verb, int port, string run, Func<TimeSpan> left, Process process)
    {
        Verb = verb;
        Port = port;
        _run = run;
        _left = left;
        _process = process;
        Pid = process.Id;
        _reading = Task.WhenAll(Drain(process.StandardOutput, _out), Drain(process.StandardError, _error));
    }

    /// <summary><c>seed</c> or <c>worker</c>.</summary>
    public string Verb { get; }

    /// <summary>The remoting port.</summary>
    public int Port { get; }

    /// <summary>The process id (also after the process is gone).</summary>
    public int Pid { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Standard output so far.</summary>
    public string Out
    {
        get
        {
            lock (_out)
            {
                return _out.ToString();
            }
        }
    }

    /// <summary>Standard error so far.</summary>
    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    /// <summary>The node's log (<c>RUN/nodes/VERB-127.0.0.1-PORT-PID.log</c>) so far; empty before it exists.</summary>
    public string Log()
    {
        var path = Path.Combine(_run, "nodes", string.Create(CultureInfo.InvariantCulture, $"{Verb}-127.0.0.1-{Port}-{Pid}.log"));
        if (!File.Exists(path))
        {
            return string.Empty;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Waits until the process ends (and its outputs are read) and returns its exit code; throws when the test's time is up.</summary>
    public async Task<int> ExitAsync()
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(Positive(_left()));
            await _reading.WaitAsync(Positive(_left()));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{this} did not exit within the test's {ClusterProcesses.Budget.TotalSeconds} s\n{Diagnostics()}");
        }

        return _process.ExitCode;
    }

    /// <summary>Polls every 100 ms until <paramref name="condition"/> holds, within the test's budget.</summary>
    public async Task WaitUntilAsync(Func<NodeProcess, bool> condition, string what)
    {
        while (!condition(this))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"waiting for {what}: {this} exited with {_process.ExitCode}\n{Diagnostics()}");
            }

            if (_left() <= TimeSpan.Zero)
            {
                throw new TimeoutException($"waiting for {what}: not within the test's {ClusterProcesses.Budget.TotalSeconds} s\n{Diagnostics()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits until the node has joined its cluster (it says so on standard error).</summary>
    public Task JoinedAsync() => WaitUntilAsync(n => n.Error.Contains("joined the cluster", StringComparison.Ordinal), "the node to join");

    /// <summary>SIGKILL (<see cref="Process.Kill()"/>), then its exit code (137).</summary>
    public async Task<int> KillAsync()
    {
        _process.Kill();
        return await ExitAsync();
    }

    /// <summary>SIGTERM (the <c>kill</c> program), then its exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        return await ExitAsync();
    }

    /// <summary>Both outputs and the last lines of the node's log, for failure messages and the test output.</summary>
    public string Diagnostics()
    {
        var log = Log().Split('\n');
        return $"--- {this}: stdout\n{Out}--- stderr\n{Error}--- log (last 60 lines)\n{string.Join("\n", log.TakeLast(60))}";
    }

    public override string ToString() => $"{Verb} :{Port} (pid {Pid})";

    /// <summary>Kills the process (SIGKILL) unless it has ended, and waits for its end; the outputs and the log stay readable.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await _reading.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static TimeSpan Positive(TimeSpan left) => left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1);

    private static async Task Drain(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (into)
            {
                into.Append(buffer, 0, read);
            }
        }
    }
}
