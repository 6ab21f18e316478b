using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AlgoPerf.Seed.Http;

/// <summary>
/// What every HTTP server inside the <c>algoperf</c> process shares (the dashboard, a node's health and metrics):
/// ASP.NET Core (Kestrel) from the shared framework, embedded in a command that owns the console and the process.
/// </summary>
internal static class EmbeddedWebHost
{
    /// <summary>
    /// A slim builder bound to <paramref name="host"/>:<paramref name="port"/> (0: a free port) that stays out of the
    /// process's way: no logging providers (the product's stdout carries the score table, its stderr its own log), and
    /// no console lifetime, which would take SIGINT/SIGTERM from the command (it stops the server and swallows the
    /// signal, so a <c>kill</c> would no longer end the process); the command stops the server by disposing it.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string applicationName, string host, int port)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = applicationName });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, CommandOwnedLifetime>();
        builder.WebHost.UseUrls($"http://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}");
        return builder;
    }

    /// <summary>The address Kestrel actually bound (the real port when 0 was asked), e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public static string BoundAddress(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    /// <summary>
    /// Refuses every request that does not carry <paramref name="token"/> with 401 and <c>WWW-Authenticate: Bearer</c>:
    /// as <c>Authorization: Bearer TOKEN</c>, or, when <paramref name="acceptQuery"/>, as <c>?token=TOKEN</c> (for a
    /// browser page). Register it before the routes.
    /// </summary>
    public static void RequireBearerToken(WebApplication app, string token, bool acceptQuery)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(token);
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        var refusal = acceptQuery
            ? "a token is required: Authorization: Bearer TOKEN, or ?token=TOKEN\n"
            : "a token is required: Authorization: Bearer TOKEN\n";
        app.Use(async (context, next) =>
        {
            if (!Authorized(context.Request, expected, acceptQuery))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(refusal, context.RequestAborted).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// Whether the request carries the token whose SHA-256 is <paramref name="expected"/>. Both sides are hashed and
    /// compared in constant time, so neither the token's content nor its length shows in the response time.
    /// </summary>
    private static bool Authorized(HttpRequest request, byte[] expected, bool acceptQuery)
    {
        string? given = request.Headers.Authorization.ToString() is { Length: > 7 } header && header.StartsWith("Bearer ", StringComparison.Ordinal)
            ? header[7..]
            : acceptQuery ? request.Query["token"].ToString() : null;
        return given is not null
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), expected);
    }

    /// <summary>A host lifetime that leaves the process's signals to the command (see <see cref="CreateBuilder"/>).</summary>
    private sealed class CommandOwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
