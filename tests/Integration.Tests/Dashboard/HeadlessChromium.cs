using System.Diagnostics;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace AlgoPerf.Integration.Tests.Dashboard;

/// <summary>
/// Debian's Chromium, headless, driven over the Chrome DevTools Protocol (a WebSocket to the page): navigate, evaluate
/// JavaScript, take a screenshot, and collect every console error, uncaught exception and failed load it reports.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly Dictionary<int, TaskCompletionSource<JsonObject>> _pending = [];
    private readonly Lock _gate = new();
    private Task _reader = Task.CompletedTask;
    private int _nextId;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Console errors, uncaught exceptions and error log entries of the page, as text.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Starts Chromium and attaches to its first page.</summary>
    public static async Task<HeadlessChromium> StartAsync(TimeSpan limit)
    {
        var binary = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("Chromium is not installed: scripts/test.sh installs it (scripts/bootstrap.sh --with-browser)");
        var profile = Directory.CreateTempSubdirectory("algoperf-chromium-").FullName;
        var start = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1", "--window-size=1400,1800", $"--user-data-dir={profile}", "about:blank" })
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start chromium");
        _ = process.StandardOutput.ReadToEndAsync();
        var browser = new HeadlessChromium(process, profile);
        string? endpoint = null;
        using var timeout = new CancellationTokenSource(limit);
        while (endpoint is null)
        {
            var line = await process.StandardError.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("chromium exited before it listened");
            const string Marker = "DevTools listening on ";
            if (line.StartsWith(Marker, StringComparison.Ordinal))
            {
                endpoint = line[Marker.Length..].Trim();
            }
        }

        _ = DrainAsync(process.StandardError);
        var port = new Uri(endpoint).Port;
        using var http = new HttpClient();
        var targets = JsonNode.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/json/list"), timeout.Token))!.AsArray();
        var page = targets.First(t => t!["type"]!.GetValue<string>() == "page")!["webSocketDebuggerUrl"]!.GetValue<string>();
        await browser._socket.ConnectAsync(new Uri(page), timeout.Token);
        browser._reader = browser.ReadLoopAsync();
        await browser.SendAsync("Runtime.enable", new JsonObject());
        await browser.SendAsync("Log.enable", new JsonObject());
        await browser.SendAsync("Page.enable", new JsonObject());
        return browser;
    }

    private static async Task DrainAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is not null)
        {
        }
    }

    /// <summary>Loads <paramref name="url"/>.</summary>
    public Task NavigateAsync(string url) => SendAsync("Page.navigate", new JsonObject { ["url"] = url });

    /// <summary>The value of a JavaScript expression (JSON-serialisable values only).</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        if (result["exceptionDetails"] is { } details)
        {
            throw new InvalidOperationException($"{expression}: {details.ToJsonString()}");
        }

        return result["result"]?["value"]?.DeepClone();
    }

    /// <summary>A PNG screenshot of the whole page.</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        var result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        return Convert.FromBase64String(result["data"]!.GetValue<string>());
    }

    private async Task<JsonObject> SendAsync(string method, JsonObject parameters)
    {
        int id;
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            id = ++_nextId;
            _pending[id] = reply;
        }

        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters }.ToJsonString();
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
        var answer = await reply.Task.WaitAsync(TimeSpan.FromSeconds(60));
        if (answer["error"] is { } error)
        {
            throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
        }

        return answer["result"]?.AsObject() ?? [];
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[1 << 20];
        var message = new MemoryStream();
        while (_socket.State == WebSocketState.Open)
        {
            WebSocketReceiveResult received;
            try
            {
                received = await _socket.ReceiveAsync(buffer, CancellationToken.None);
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
            {
                return; // closed by DisposeAsync, or Chromium went away
            }

            if (received.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            message.Write(buffer, 0, received.Count);
            if (!received.EndOfMessage)
            {
                continue;
            }

            var json = JsonNode.Parse(message.ToArray())!.AsObject();
            message.SetLength(0);
            if (json["id"] is { } idNode)
            {
                TaskCompletionSource<JsonObject>? pending;
                lock (_gate)
                {
                    _pending.Remove(idNode.GetValue<int>(), out pending);
                }

                pending?.TrySetResult(json);
                continue;
            }

            var method = json["method"]?.GetValue<string>();
            var p = json["params"];
            var error = method switch
            {
                "Runtime.consoleAPICalled" when p!["type"]!.GetValue<string>() is "error" or "assert" => "console." + p["type"] + ": " + p["args"]?.ToJsonString(),
                "Runtime.exceptionThrown" => "exception: " + p!["exceptionDetails"]?.ToJsonString(),
                "Log.entryAdded" when p!["entry"]!["level"]!.GetValue<string>() == "error" => "log: " + p["entry"]!["text"] + " " + p["entry"]!["url"],
                _ => null,
            };
            if (error is not null)
            {
                lock (_gate)
                {
                    Errors.Add(error);
                }
            }
        }
    }

    /// <summary>Closes the page and stops Chromium.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _socket.Abort();
            _socket.Dispose();
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            await _reader;
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_profile, recursive: true);
        }
    }
}
