using System.Diagnostics;

namespace Parley.Api.Tests;

/// <summary>
/// The real silo program (src/Parley.Silo, built with this project) started as a process, the way an operator starts it:
/// outside Development it refuses an unsafe authentication configuration before it opens any port.
/// </summary>
[Trait("Category", "cluster")]
public sealed class SiloStartupTests
{
    internal static string SiloDll()
    {
        // tests/Parley.Api.Tests/bin/{Configuration}/{TargetFramework}/ -> src/Parley.Silo/bin/{Configuration}/{TargetFramework}/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        var root = output.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(root, "src", "Parley.Silo", "bin", configuration, framework, "Parley.Silo.dll");
        Assert.True(File.Exists(dll), $"The silo is not built at {dll}.");
        return dll;
    }

    private static async Task<(int ExitCode, string Output)> RunSiloAsync(Dictionary<string, string> environment)
    {
        var dll = SiloDll();
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Free ports, so that a silo that wrongly starts does not collide with anything; it is killed after the timeout.
        start.Environment["Urls"] = "http://127.0.0.1:0";
        start.Environment["Parley__Cluster__SiloPort"] = "0";
        start.Environment["Parley__Cluster__GatewayPort"] = "0";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return (int.MinValue, "still running after 60 s: " + await stdout + await stderr);
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task Production_with_the_dev_sign_in_on_refuses_to_start()
    {
        var (exitCode, output) = await RunSiloAsync(new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Parley__Auth__DevSignIn"] = "true",
            ["Parley__Auth__SigningKey"] = ApiFixture.SigningKey,
        });
        Assert.True(exitCode != 0, $"The silo did not refuse to start (exit {exitCode}):\n{output}");
        Assert.Contains("Refusing to start: Parley:Auth:DevSignIn is on in the 'Production' environment", output);
    }

    [Fact]
    public async Task Production_with_the_default_settings_refuses_to_start_without_a_signing_key()
    {
        var (exitCode, output) = await RunSiloAsync(new() { ["ASPNETCORE_ENVIRONMENT"] = "Production" });
        Assert.True(exitCode != 0, $"The silo did not refuse to start (exit {exitCode}):\n{output}");
        Assert.Contains("Refusing to start: Parley:Auth:SigningKey is not set", output);
    }
}
