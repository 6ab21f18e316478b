using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Seed.Cluster;

namespace AlgoPerf.Seed.Tests.Cluster;

public sealed class RemotingTlsTests : IClassFixture<RemotingTlsTests.SelfSignedCertificate>, IAsyncLifetime
{
    private const string Source = "cluster.conf";
    private static readonly TimeSpan s_reply = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan s_silence = TimeSpan.FromSeconds(3);

    private readonly SelfSignedCertificate _certificate;
    private readonly List<ActorSystem> _nodes = [];

    public RemotingTlsTests(SelfSignedCertificate certificate)
    {
        _certificate = certificate;
    }

    [Fact]
    public void FromConfig_Disabled_GivesDisabledSettingsAndAnEmptyAkkaConfig()
    {
        var settings = Bind("algoperf.cluster.tls { certificate-path = missing.p12, suppress-validation = on }");

        Assert.Equal(RemotingTlsSettings.Disabled, settings);
        Assert.True(settings.ToAkkaConfig().IsEmpty);
        Assert.Equal("akka.tcp", settings.AddressProtocol);
    }

    [Fact]
    public void FromConfig_EnabledWithRelativePath_ResolvesItAgainstTheBaseDirectoryAndSetsDotNettySsl()
    {
        var settings = Bind($"algoperf.cluster.tls {{ enabled = on, certificate-path = node.p12, certificate-password = \"{SelfSignedCertificate.Password}\", suppress-validation = on }}");

        Assert.Equal(new RemotingTlsSettings(true, _certificate.File, SelfSignedCertificate.Password, SuppressValidation: true), settings);
        var akka = settings.ToAkkaConfig();
        Assert.True(akka.GetBoolean("akka.remote.dot-netty.tcp.enable-ssl"));
        Assert.True(akka.GetBoolean("akka.remote.dot-netty.tcp.ssl.suppress-validation"));
        Assert.False(akka.GetBoolean("akka.remote.dot-netty.tcp.ssl.certificate.use-thumbprint-over-file"));
        Assert.Equal(_certificate.File, akka.GetString("akka.remote.dot-netty.tcp.ssl.certificate.path"));
        Assert.Equal(SelfSignedCertificate.Password, akka.GetString("akka.remote.dot-netty.tcp.ssl.certificate.password"));
    }

    [Fact]
    public void FromConfig_EmptyPasswordKey_TakesThePasswordFromTheEnvironmentVariable()
    {
        var environment = new Dictionary<string, string> { [RemotingTlsSettings.PasswordVariable] = SelfSignedCertificate.Password };

        var settings = Bind($"algoperf.cluster.tls {{ enabled = on, certificate-path = \"{_certificate.File}\" }}", environment);

        Assert.Equal(new RemotingTlsSettings(true, _certificate.File, SelfSignedCertificate.Password, SuppressValidation: false), settings);
        Assert.False(settings.ToAkkaConfig().GetBoolean("akka.remote.dot-netty.tcp.ssl.suppress-validation"));
    }

    [Fact]
    public void FromConfig_EnabledWithMissingFile_ErrorNamesTheFileAndTheKey()
    {
        var missing = Path.Combine(_certificate.Directory, "absent.p12");

        var e = Assert.Throws<InvalidDataException>(() => Bind($"algoperf.cluster.tls {{ enabled = on, certificate-path = \"{missing}\" }}"));

        Assert.Equal($"cluster.conf: algoperf.cluster.tls.certificate-path: no such file {missing}", e.Message);
    }

    [Fact]
    public void FromConfig_EnabledWithoutPath_ErrorNamesTheKey()
    {
        var e = Assert.Throws<InvalidDataException>(() => Bind("algoperf.cluster.tls.enabled = on"));

        Assert.Equal(
            "cluster.conf: algoperf.cluster.tls.certificate-path: must name a PKCS#12 (.p12/.pfx) file with the certificate and its private key when TLS is enabled",
            e.Message);
    }

    [Fact]
    public void FromConfig_WrongPassword_ErrorNamesThePasswordKeyAndTheFile()
    {
        var e = Assert.Throws<InvalidDataException>(() => Bind($"algoperf.cluster.tls {{ enabled = on, certificate-path = \"{_certificate.File}\", certificate-password = wrong }}"));

        Assert.StartsWith(
            $"cluster.conf: algoperf.cluster.tls.certificate-password: does not open {_certificate.File} (the key's value, or ALGOPERF_TLS_PASSWORD when the key is empty): ",
            e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfig_PemInsteadOfPkcs12_ErrorNamesThePathKey()
    {
        var pem = Path.Combine(_certificate.Directory, "cert.pem");

        var e = Assert.Throws<InvalidDataException>(() => Bind($"algoperf.cluster.tls {{ enabled = on, certificate-path = \"{pem}\" }}"));

        Assert.StartsWith($"cluster.conf: algoperf.cluster.tls.certificate-path: {pem} is not a PKCS#12 (.p12/.pfx) file (found Cert)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfig_Pkcs12WithoutPrivateKey_ErrorNamesThePathKey()
    {
        var e = Assert.Throws<InvalidDataException>(() => Bind($"algoperf.cluster.tls {{ enabled = on, certificate-path = \"{_certificate.FileWithoutKey}\", certificate-password = \"{SelfSignedCertificate.Password}\" }}"));

        Assert.StartsWith($"cluster.conf: algoperf.cluster.tls.certificate-path: {_certificate.FileWithoutKey} has no private key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToAkkaConfig_PasswordWithQuotesBackslashesAndDollar_ReadsBackUnchanged()
    {
        const string password = "p\"a\\s${s} w\tord";
        var settings = new RemotingTlsSettings(true, "/etc/algoperf/node \"1\".p12", password, SuppressValidation: false);

        var akka = settings.ToAkkaConfig();

        Assert.Equal(password, akka.GetString("akka.remote.dot-netty.tcp.ssl.certificate.password"));
        Assert.Equal("/etc/algoperf/node \"1\".p12", akka.GetString("akka.remote.dot-netty.tcp.ssl.certificate.path"));
    }

    [Fact]
    public void ToString_EnabledSettings_RedactsThePassword()
    {
        var settings = new RemotingTlsSettings(true, "/certs/node.p12", "hunter2", SuppressValidation: true);

        Assert.Equal("RemotingTlsSettings { Enabled = True, CertificatePath = /certs/node.p12, CertificatePassword = ***, SuppressValidation = True }", settings.ToString());
    }

    [Fact]
    public async Task Remoting_BothNodesTlsWithSelfSignedCertificateAndSuppressedValidation_IdentifyAndEchoRoundTrip()
    {
        var tls = _certificate.Settings(suppressValidation: true);
        var server = StartNode("server", tls);
        server.ActorOf(Props.Create<Echo>(), "echo");
        var client = StartNode("client", tls);
        var address = ((ExtendedActorSystem)server).Provider.DefaultAddress;

        var identity = await client.ActorSelection($"{address}/user/echo").Ask<ActorIdentity>(new Identify(7), s_reply);

        Assert.Equal("akka.ssl.tcp", address.Protocol);
        Assert.Equal(address.Protocol, tls.AddressProtocol);
        Assert.Equal(7, identity.MessageId);
        Assert.NotNull(identity.Subject);
        Assert.Equal("ping over tls", await identity.Subject.Ask<string>("ping over tls", s_reply));
    }

    [Fact]
    public async Task Remoting_TlsNodeAndPlainTcpNode_NeitherReachesTheOthersActor()
    {
        var tlsNode = StartNode("tls", _certificate.Settings(suppressValidation: true));
        tlsNode.ActorOf(Props.Create<Echo>(), "echo");
        var plainNode = StartNode("plain", RemotingTlsSettings.Disabled);
        plainNode.ActorOf(Props.Create<Echo>(), "echo");
        var (tlsPort, plainPort) = (Port(tlsNode), Port(plainNode));

        // Each side addresses the other's port with its own protocol (a node that missed the setting): a plain node
        // has no transport for akka.ssl.tcp addresses at all, nor a TLS node for akka.tcp ones.
        var plainToTls = Identify(plainNode, $"akka.tcp://tls@127.0.0.1:{tlsPort}/user/echo");
        var tlsToPlain = Identify(tlsNode, $"akka.ssl.tcp://plain@127.0.0.1:{plainPort}/user/echo");

        await Task.WhenAll(plainToTls, tlsToPlain);
        Assert.Null(await plainToTls);
        Assert.Null(await tlsToPlain);
    }

    [Fact]
    public async Task Remoting_SelfSignedCertificateWithValidationOn_HandshakeFailsAndTheConnectingNodeShutsDown()
    {
        // The chain check is what suppress-validation turns off: with it on, a self-signed certificate fails the
        // handshake (its root is not trusted). Akka.Remote 1.5 then runs CoordinatedShutdown on the node whose outbound
        // handshake failed; the accepting node only logs the rejected connection.
        var tls = _certificate.Settings(suppressValidation: false);
        var server = StartNode("server", tls);
        server.ActorOf(Props.Create<Echo>(), "echo");
        var client = StartNode("client", tls);

        var echo = await Identify(client, $"{((ExtendedActorSystem)server).Provider.DefaultAddress}/user/echo");
        await client.WhenTerminated.WaitAsync(s_reply);

        Assert.Null(echo);
        Assert.False(server.WhenTerminated.IsCompleted);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_nodes.Select(n => n.Terminate()));
    }

    private RemotingTlsSettings Bind(string hocon, IReadOnlyDictionary<string, string>? environment = null) =>
        RemotingTlsSettings.FromConfig(AlgoPerfConfig.Parse(hocon), Source, _certificate.Directory, v => environment?.GetValueOrDefault(v));

    private ActorSystem StartNode(string name, RemotingTlsSettings tls)
    {
        var config = ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            """);
        var node = ActorSystem.Create(name, tls.ToAkkaConfig().WithFallback(config));
        _nodes.Add(node);
        return node;
    }

    // The actor at path, or null when it cannot be reached: no answer within the time, or the ActorIdentity without a
    // subject that Akka's dead letters give an undeliverable Identify (which of the two depends on when the failed
    // association is noticed).
    private static async Task<IActorRef?> Identify(ActorSystem from, string path)
    {
        try
        {
            return (await from.ActorSelection(path).Ask<ActorIdentity>(new Identify(path), s_silence)).Subject;
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    private static int Port(ActorSystem node) => ((ExtendedActorSystem)node).Provider.DefaultAddress.Port!.Value;

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m));
    }

    /// <summary>A self-signed certificate for 127.0.0.1 made with <c>openssl</c>, as PKCS#12 with and without its key.</summary>
    public sealed class SelfSignedCertificate : IAsyncLifetime
    {
        public const string Password = "tls-test-secret";
        private static readonly TimeSpan s_openssl = TimeSpan.FromSeconds(60);

        public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("remoting-tls-").FullName;

        /// <summary>node.p12: the certificate and its private key.</summary>
        public string File => Path.Combine(Directory, "node.p12");

        /// <summary>nokey.p12: the certificate alone.</summary>
        public string FileWithoutKey => Path.Combine(Directory, "nokey.p12");

        public RemotingTlsSettings Settings(bool suppressValidation) => new(true, File, Password, suppressValidation);

        public async Task InitializeAsync()
        {
            await OpenSsl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-keyout", "key.pem", "-out", "cert.pem");
            await OpenSsl("pkcs12", "-export", "-inkey", "key.pem", "-in", "cert.pem", "-out", "node.p12", "-passout", "pass:" + Password);
            await OpenSsl("pkcs12", "-export", "-nokeys", "-in", "cert.pem", "-out", "nokey.p12", "-passout", "pass:" + Password);
        }

        public Task DisposeAsync()
        {
            System.IO.Directory.Delete(Directory, recursive: true);
            return Task.CompletedTask;
        }

        private async Task OpenSsl(params string[] arguments)
        {
            var start = new ProcessStartInfo("openssl", arguments)
            {
                WorkingDirectory = Directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            using var timeout = new CancellationTokenSource(s_openssl);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"openssl {string.Join(' ', arguments)} did not finish within {s_openssl}");
            }

            Assert.True(process.ExitCode == 0, $"openssl {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stdout}{await stderr}");
        }
    }
}
