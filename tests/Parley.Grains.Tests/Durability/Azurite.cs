using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Parley.Grains.Tests.Durability;

/// <summary>
/// A real Azurite storage emulator (the npm package <c>azurite</c>), installed on first use into the git-ignored
/// <c>.tools/azurite</c> folder and run on free loopback ports. Set <c>PARLEY_AZURITE_CONNECTION_STRING</c> to reuse a
/// running emulator instead (then tests that stop and restart storage are skipped).
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    public const string ReuseVariable = "PARLEY_AZURITE_CONNECTION_STRING";
    private const string Version = "3.37.0";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    private readonly int _blobPort = FreePort();
    private readonly int _queuePort = FreePort();
    private readonly int _tablePort = FreePort();
    private readonly string? _location;
    private Process? _process;

    private Azurite(string? reuse, bool onDisk)
    {
        Reused = reuse;
        _location = onDisk ? Directory.CreateTempSubdirectory("parley-azurite-").FullName : null;
    }

    /// <summary>The connection string for this emulator.</summary>
    public string ConnectionString => Reused ??
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};" +
        $"BlobEndpoint=http://127.0.0.1:{_blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{_queuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{_tablePort}/devstoreaccount1;";

    /// <summary>The reused connection string, when one was given in the environment.</summary>
    public string? Reused { get; }

    /// <summary>Starts an emulator (in memory, or on disk when it must survive a restart).</summary>
    public static async Task<Azurite> StartAsync(bool onDisk = false)
    {
        var reuse = Environment.GetEnvironmentVariable(ReuseVariable);
        var azurite = new Azurite(string.IsNullOrWhiteSpace(reuse) || onDisk ? null : reuse, onDisk);
        if (azurite.Reused is null)
        {
            await azurite.StartProcessAsync();
        }

        return azurite;
    }

    /// <summary>Stops the emulator process (a storage outage). It gets SIGINT first so an on-disk emulator saves its data.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } p)
        {
            using (var signal = Process.Start("kill", ["-INT", p.Id.ToString()]))
            {
                await signal.WaitForExitAsync();
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await p.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync();
            }
        }

        _process = null;
    }

    /// <summary>Starts the emulator again on the same ports (and the same data, when on disk).</summary>
    public Task RestartAsync() => StartProcessAsync();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_location is not null)
        {
            try { Directory.Delete(_location, recursive: true); } catch (IOException) { }
        }
    }

    private async Task StartProcessAsync()
    {
        var script = await EnsureInstalledAsync();
        var args = new List<string>
        {
            script, "--silent", "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl",
            "--blobHost", "127.0.0.1", "--blobPort", _blobPort.ToString(),
            "--queueHost", "127.0.0.1", "--queuePort", _queuePort.ToString(),
            "--tableHost", "127.0.0.1", "--tablePort", _tablePort.ToString(),
        };
        if (_location is null)
        {
            args.Add("--inMemoryPersistence");
        }
        else
        {
            args.AddRange(["--location", _location]);
        }

        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        args.ForEach(start.ArgumentList.Add);
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node for Azurite.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        foreach (var port in new[] { _blobPort, _tablePort })
        {
            while (!await AcceptsAsync(port))
            {
                if (_process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"Azurite did not start listening on port {port}.");
                }

                await Task.Delay(100);
            }
        }
    }

    private static async Task<string> EnsureInstalledAsync()
    {
        var folder = Path.Combine(RepositoryRoot(), ".tools", "azurite");
        var script = Path.Combine(folder, "node_modules", "azurite", "dist", "src", "azurite.js");
        await InstallLock.WaitAsync();
        try
        {
            if (!File.Exists(script))
            {
                Directory.CreateDirectory(folder);
                var npm = Process.Start(new ProcessStartInfo("npm")
                {
                    ArgumentList = { "install", "--prefix", folder, $"azurite@{Version}", "--no-audit", "--no-fund", "--loglevel=error" },
                    UseShellExecute = false,
                }) ?? throw new InvalidOperationException("npm is required to install Azurite (install Node.js).");
                await npm.WaitForExitAsync();
                if (npm.ExitCode != 0 || !File.Exists(script))
                {
                    throw new InvalidOperationException($"npm install azurite@{Version} failed (exit {npm.ExitCode}).");
                }
            }
        }
        finally
        {
            InstallLock.Release();
        }

        return script;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Silo.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Could not find the repository root (Silo.sln).");
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
