using Kuiper.Actors.Database;

namespace Kuiper.Actors.Hosting;

/// <summary>The node's settings, bound from the <c>Kuiper</c> configuration section (every key: docs/configuration.md#settings).</summary>
public sealed class KuiperSettings
{
    public const string Section = "Kuiper";

    /// <summary>The node's folder: SQLite file, uploads, installed artefacts.</summary>
    public string DataDir { get; set; } = "data";

    public ClusterSettings Cluster { get; set; } = new();

    public PersistenceSettings Persistence { get; set; } = new();

    public SecuritySettings Security { get; set; } = new();

    public ImportSettings Import { get; set; } = new();

    public ProvisioningSettings Provisioning { get; set; } = new();

    public NodeSettings Node { get; set; } = new();

    /// <summary>The one retry policy, with reads that answer a client bounded by twice the journal call timeout.</summary>
    public Imports.CoordinatorSettings Patience() => Import.Patience() with { ReadBound = Persistence.CallTimeout * 2 };

    public string UploadsDir => Path.Combine(Path.GetFullPath(DataDir), "uploads");

    /// <summary>Where the token issuers' public keys are: <see cref="SecuritySettings.KeysDir"/>, or <c>&lt;DataDir&gt;/mgmt</c>.</summary>
    public string KeysDirectory => Path.GetFullPath(string.IsNullOrWhiteSpace(Security.KeysDir)
        ? Path.Combine(DataDir, Kuiper.Domain.Security.EkuiperKeyFiles.FolderName)
        : Security.KeysDir);
}

/// <summary>What this node is, for placing rules on it (docs/operations.md#a-cluster-of-gateways).</summary>
public sealed class NodeSettings
{
    /// <summary><c>Kuiper:Node:Labels:site=plant-a</c>: Kubernetes-style labels; a bad key or value stops the node, naming it.</summary>
    public Dictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);
}

public sealed class ClusterSettings
{
    public const string SystemName = "kuiper";
    public const string Role = "kuiper";

    public string Host { get; set; } = "127.0.0.1";

    /// <summary>0 picks a free port.</summary>
    public int Port { get; set; } = 4053;

    /// <summary><c>akka.tcp://kuiper@host:port</c>; empty: the node joins itself.</summary>
    public string[] SeedNodes { get; set; } = [];

    /// <summary>Remoting over TLS with mutual certificate checks; off while no certificate is named.</summary>
    public ClusterTlsSettings Tls { get; set; } = new();

    /// <summary>
    /// The largest remoting frame (Akka's <c>maximum-frame-size</c>), at least 1 MiB. Bundles, exports and import reports
    /// larger than one chunk cross nodes in chunks (<see cref="Transfers.MessageTransfer"/>); partition batches cross whole.
    /// </summary>
    public long MaximumFrameBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// On a shared PostgreSQL journal: how long no member of the cluster must have been seen in the database before the
    /// first seed node (or a node without seeds) may form a new cluster. A whole cluster that stopped at once waits
    /// this long to form again; a node cut off and restarted never forms a second cluster while the others live.
    /// </summary>
    public TimeSpan FormationTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often a member records that it is alive (and a joining node looks for the cluster): a tenth of <see cref="FormationTimeout"/>.</summary>
    public TimeSpan FormationBeat => TimeSpan.FromTicks(Math.Max(FormationTimeout.Ticks / 10, TimeSpan.FromMilliseconds(200).Ticks));

    /// <summary>Akka's protocol of remoting addresses: TLS turns <c>akka.tcp</c> into <c>akka.ssl.tcp</c>.</summary>
    public string Protocol => Tls.Enabled ? "akka.ssl.tcp" : "akka.tcp";

    /// <summary>
    /// The seed addresses in this node's protocol: operators keep writing <c>akka.tcp://kuiper@host:port</c> whether
    /// TLS is on or not.
    /// </summary>
    public string[] SeedAddresses() => SeedNodes.Select(ToProtocol).ToArray();

    /// <summary><paramref name="address"/> with its <c>akka.tcp</c> or <c>akka.ssl.tcp</c> scheme replaced by this node's.</summary>
    public string ToProtocol(string address)
    {
        foreach (var scheme in new[] { "akka.tcp://", "akka.ssl.tcp://" })
            if (address.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
                return Protocol + "://" + address[scheme.Length..];
        return address;
    }
}

public sealed class ClusterTlsSettings
{
    /// <summary>A PKCS#12 file: this node's certificate and key, and the certificate(s) the cluster trusts.</summary>
    public string CertificatePath { get; set; } = "";

    public string CertificatePassword { get; set; } = "";

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);
}

public sealed class SecuritySettings
{
    /// <summary>Allow <c>file://</c> outside <c>&lt;DataDir&gt;/uploads</c>.</summary>
    public bool AllowExternalFileAccess { get; set; }

    /// <summary>Allow <c>http(s)://</c> to loopback and private addresses.</summary>
    public bool EnablePrivateNet { get; set; }

    /// <summary>Run a plugin's <c>install.sh</c> (with its <c>shellParas</c>) when it is installed; off, such plugins are refused.</summary>
    public bool AllowInstallScripts { get; set; }

    /// <summary>eKuiper's <c>basic.authentication</c>: every HTTP endpoint but <c>/</c>, <c>/ping</c> and <c>/healthz/*</c> needs a token.</summary>
    public bool Authentication { get; set; }

    /// <summary>The folder of PEM RSA public keys, one file per token issuer (<c>iss</c>); empty: <c>&lt;DataDir&gt;/mgmt</c>.</summary>
    public string KeysDir { get; set; } = "";

    /// <summary>
    /// Files of 256-bit keys (base64, one line each), comma-separated, newest first: the newest seals, every one opens.
    /// Empty: no key, so <c>?secrets=sealed</c> exports are refused and sealed imports are refused per item.
    /// </summary>
    public string SecretsKeyFile { get; set; } = "";

    /// <summary>
    /// With a key file, whether secrets are sealed on their way to storage. <c>false</c> stores them as given while the
    /// keys still open what is sealed: set on every node, then <c>cluster secrets rotate</c> unseals everything (before
    /// a rollback to a release that does not seal, or to give up encryption at rest).
    /// </summary>
    public bool SealSecretsAtRest { get; set; } = true;

    /// <summary>What exports write for secrets when the request does not say (<c>?secrets=</c>): <c>plain</c>, <c>masked</c> or <c>sealed</c>.</summary>
    public string ExportSecrets { get; set; } = "plain";
}

public sealed class ImportSettings
{
    /// <summary>How long a batch may go unanswered before it is sent again.</summary>
    public TimeSpan BatchRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times a batch is sent before its items are reported as not confirmed.</summary>
    public int BatchAttempts { get; set; } = 12;

    /// <summary>The largest request body accepted; eKuiper has no limit, Kestrel's default (30 MB) is too small for big bundles.</summary>
    public long MaxRequestBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>
    /// The largest file <c>POST /config/uploads</c> accepts (a multipart file, JSON <c>content</c>, or what its
    /// <c>file</c> names); enforced while the request is read. eKuiper has no limit.
    /// </summary>
    public long MaxUploadBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>How long the HTTP edge waits for an import, queueing behind others included.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many import reports <c>GET /data/imports</c> keeps (the newest).</summary>
    public int HistoryLimit { get; set; } = 100;

    /// <summary>How many ended async import tasks <c>GET /async/task/{id}</c> keeps (the newest); unfinished ones are always kept.</summary>
    public int AsyncTaskLimit { get; set; } = 100;

    /// <summary>
    /// How many async import tasks may wait or run at once; more are refused (429) until some end. A waiting task
    /// holds its request in memory.
    /// </summary>
    public int AsyncQueueLimit { get; set; } = 16;

    /// <summary>How long a retried import with the same <c>Idempotency-Key</c> header gets the first answer back.</summary>
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How many <c>Idempotency-Key</c> answers are kept (the newest), cluster-wide.</summary>
    public int IdempotencyLimit { get; set; } = 1000;

    /// <summary>How writers and readers wait for partitions (the one retry policy), and how much history and how many keys are kept.</summary>
    public Imports.CoordinatorSettings Patience() =>
        new(BatchRetryInterval, BatchAttempts, HistoryLimit, Keys: new Imports.KeyRetention(IdempotencyRetention, IdempotencyLimit));
}

/// <summary>Start-up provisioning from <c>&lt;DataDir&gt;/init.json</c>.</summary>
public sealed class ProvisioningSettings
{
    /// <summary>
    /// How long a node's claim on an <c>init.json</c> version holds without being renewed: a node that died while
    /// importing it is taken over after this. The importing node renews its claim every quarter of it.
    /// </summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
