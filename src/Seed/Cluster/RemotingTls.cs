using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Akka.Configuration;
using AlgoPerf.Contracts.Configuration;

namespace AlgoPerf.Seed.Cluster;

/// <summary>
/// TLS for the cluster's Akka remoting (HOCON path <c>algoperf.cluster.tls</c>), bound and checked when a node starts
/// so that a missing certificate, a wrong password or a certificate without its private key stops the node with the
/// file and the key instead of failing every TLS handshake later. <see cref="ToAkkaConfig"/> turns it into the
/// <c>akka.remote.dot-netty.tcp</c> settings of Akka.Remote's DotNetty transport.
/// </summary>
/// <remarks>
/// Akka.Remote 1.5.75 defaults that this leaves as they are: <c>ssl.require-mutual-authentication = true</c> (every node
/// presents its certificate on inbound and outbound connections, so every node needs the certificate, not only the
/// coordinators) and <c>ssl.validate-certificate-hostname = false</c> (the peer's CN/SAN is not matched against the
/// address it was reached at; <see cref="SuppressValidation"/> only turns the chain check off). A node whose
/// <em>outbound</em> TLS handshake fails (the peer's certificate is rejected) runs CoordinatedShutdown on its whole
/// ActorSystem; a failed inbound handshake is only logged.
/// </remarks>
/// <param name="Enabled">Whether remoting uses TLS; every node of a cluster must agree (a TLS node and a plain-TCP node
/// cannot exchange messages).</param>
/// <param name="CertificatePath">The PKCS#12 (.p12/.pfx) file with the certificate and its private key (absolute); null
/// when disabled.</param>
/// <param name="CertificatePassword">Its password (the key, else <see cref="PasswordVariable"/>, else empty); null when
/// disabled. Redacted from <see cref="object.ToString"/>.</param>
/// <param name="SuppressValidation">Accept the peer's certificate without checking its chain against the system's
/// trusted roots (self-signed certificates; development only).</param>
public sealed record RemotingTlsSettings(bool Enabled, string? CertificatePath, string? CertificatePassword, bool SuppressValidation)
{
    /// <summary>The HOCON path bound.</summary>
    public const string ConfigPath = "algoperf.cluster.tls";

    /// <summary>The environment variable that holds the certificate's password when the key is empty (a Kubernetes Secret).</summary>
    public const string PasswordVariable = "ALGOPERF_TLS_PASSWORD";

    /// <summary>No TLS: plain TCP remoting.</summary>
    public static RemotingTlsSettings Disabled { get; } = new(false, null, null, false);

    /// <summary>
    /// The protocol of this node's Akka addresses: <c>akka.ssl.tcp</c> with TLS (Akka.Remote's DotNetty transport then
    /// names its scheme <c>ssl.tcp</c>), else <c>akka.tcp</c>. Seed-node addresses must use it: a TLS node has no
    /// transport for <c>akka.tcp</c> addresses and a plain node none for <c>akka.ssl.tcp</c> ones.
    /// </summary>
    public string AddressProtocol => Enabled ? "akka.ssl.tcp" : "akka.tcp";

    /// <summary>
    /// Binds <c>algoperf.cluster.tls</c> of a configuration loaded from <paramref name="source"/>; a relative
    /// certificate path is resolved against <paramref name="baseDirectory"/>. An empty <c>certificate-password</c> is
    /// taken from the environment variable <see cref="PasswordVariable"/> when that is set.
    /// </summary>
    /// <exception cref="InvalidDataException">A malformed key, or (when enabled) a certificate file that is missing, is
    /// not PKCS#12, does not open with the password or has no private key; the message names the file and the key.</exception>
    public static RemotingTlsSettings FromConfig(Config config, string source, string baseDirectory) =>
        FromConfig(config, source, baseDirectory, Environment.GetEnvironmentVariable);

    /// <summary><see cref="FromConfig(Config, string, string)"/> with the environment given (tests).</summary>
    internal static RemotingTlsSettings FromConfig(Config config, string source, string baseDirectory, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        ArgumentNullException.ThrowIfNull(environment);
        var c = new ConfigReader(config, source, ConfigPath);
        // Every key is read (and type-checked) even when TLS is off, so a typo shows before someone turns it on.
        var enabled = c.Bool("enabled");
        var path = c.String("certificate-path");
        var password = c.String("certificate-password");
        var suppressValidation = c.Bool("suppress-validation");
        if (!enabled)
        {
            return Disabled;
        }

        if (password.Length == 0)
        {
            password = environment(PasswordVariable) ?? string.Empty;
        }

        c.Require(path.Length > 0, "certificate-path", "must name a PKCS#12 (.p12/.pfx) file with the certificate and its private key when TLS is enabled");
        var file = Path.GetFullPath(path, baseDirectory);
        CheckCertificate(c, file, password);
        return new RemotingTlsSettings(true, file, password, suppressValidation);
    }

    /// <summary>
    /// The <c>akka.remote.dot-netty.tcp</c> settings that turn TLS on with this certificate (<c>enable-ssl</c>,
    /// <c>ssl.certificate.path</c> and <c>password</c>, <c>ssl.suppress-validation</c>); an empty config when disabled.
    /// Put it over the node's configuration (<c>ToAkkaConfig().WithFallback(config)</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">Enabled without a certificate path.</exception>
    public Config ToAkkaConfig()
    {
        if (!Enabled)
        {
            return Config.Empty;
        }

        if (string.IsNullOrEmpty(CertificatePath))
        {
            throw new InvalidOperationException("TLS is enabled without a certificate path");
        }

        var hocon = $$"""
            akka.remote.dot-netty.tcp {
              enable-ssl = on
              ssl {
                suppress-validation = {{(SuppressValidation ? "on" : "off")}}
                certificate {
                  use-thumbprint-over-file = off
                  path = {{Quote(CertificatePath)}}
                  password = {{Quote(CertificatePassword ?? string.Empty)}}
                }
              }
            }
            """;
        return ConfigurationFactory.ParseString(hocon);
    }

    // The password stays out of logs and test output.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Enabled = {Enabled}, CertificatePath = {CertificatePath}, ");
        builder.Append(CertificatePassword is null ? "CertificatePassword = , " : "CertificatePassword = ***, ");
        builder.Append(CultureInfo.InvariantCulture, $"SuppressValidation = {SuppressValidation}");
        return true;
    }

    private static void CheckCertificate(ConfigReader c, string file, string password)
    {
        c.Require(File.Exists(file), "certificate-path", $"no such file {file}");
        X509ContentType type;
        try
        {
            type = X509Certificate2.GetCertContentType(file);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw c.Error("certificate-path", $"cannot read {file}: {e.Message}", e);
        }

        c.Require(type == X509ContentType.Pkcs12, "certificate-path",
            $"{file} is not a PKCS#12 (.p12/.pfx) file (found {type}); make one with: openssl pkcs12 -export -inkey key.pem -in cert.pem -out node.p12");
        try
        {
            using var certificate = X509CertificateLoader.LoadPkcs12FromFile(file, password);
            c.Require(certificate.HasPrivateKey, "certificate-path",
                $"{file} has no private key (export the key with the certificate: openssl pkcs12 -export -inkey key.pem -in cert.pem)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw c.Error("certificate-path", $"cannot read {file}: {e.Message}", e);
        }
        catch (CryptographicException e)
        {
            throw c.Error("certificate-password", $"does not open {file} (the key's value, or {PasswordVariable} when the key is empty): {e.Message}", e);
        }
    }

    // A HOCON quoted string: JSON escapes for the quote, the backslash and control characters.
    private static string Quote(string s)
    {
        var b = new StringBuilder(s.Length + 2).Append('"');
        foreach (var ch in s)
        {
            _ = ch switch
            {
                '"' => b.Append("\\\""),
                '\\' => b.Append("\\\\"),
                _ when char.IsControl(ch) => b.Append(CultureInfo.InvariantCulture, $"\\u{(int)ch:x4}"),
                _ => b.Append(ch),
            };
        }

        return b.Append('"').ToString();
    }
}
