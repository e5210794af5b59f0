using YamlDotNet.RepresentationModel;

using Parley.Eval.Tests;

namespace Parley.Api.Tests;

/// <summary>
/// The Kubernetes manifests in deploy/kubernetes, checked offline (no cluster can be reached from CI): they parse, every
/// object is well-formed, and the facts the silos depend on hold together: RBAC for Microsoft.Orleans.Hosting.Kubernetes,
/// the pod labels and environment variables it reads, probes on endpoints the program serves, a termination grace
/// period longer than the configured shutdown timeout, selectors of Services, PodDisruptionBudgets and autoscalers that
/// match their workloads, and secrets that are referenced rather than written in.
/// </summary>
public sealed class DeploymentManifestTests
{
    private static readonly string Folder = Path.Combine(RepoPaths.Root, "deploy", "kubernetes");

    private static List<YamlMappingNode> Objects()
    {
        var objects = new List<YamlMappingNode>();
        foreach (var file in Directory.GetFiles(Folder, "*.yaml").Order())
        {
            var stream = new YamlStream();
            using var reader = new StreamReader(file);
            stream.Load(reader);
            // kustomization.yaml lists the files; it is not an API object.
            objects.AddRange(stream.Documents.Select(d => Assert.IsType<YamlMappingNode>(d.RootNode)).Where(o => Text(o, "kind") != "Kustomization"));
        }

        return objects;
    }

    private static YamlNode? At(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            node = next;
        }

        return node;
    }

    private static string? Text(YamlNode node, params string[] path) => (At(node, path) as YamlScalarNode)?.Value;

    private static YamlMappingNode Find(List<YamlMappingNode> objects, string kind, string name) =>
        objects.Single(o => Text(o, "kind") == kind && Text(o, "metadata", "name") == name);

    private static Dictionary<string, string> Labels(YamlNode? node) =>
        node is YamlMappingNode map ? map.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value!) : [];

    private static YamlMappingNode Container(YamlMappingNode deployment) =>
        (YamlMappingNode)((YamlSequenceNode)At(deployment, "spec", "template", "spec", "containers")!).Children.Single();

    private static Dictionary<string, YamlMappingNode> Env(YamlMappingNode container) =>
        ((YamlSequenceNode)At(container, "env")!).Children.Cast<YamlMappingNode>().ToDictionary(e => Text(e, "name")!);

    [Fact]
    public void Every_manifest_parses_and_every_object_has_an_api_version_a_kind_and_a_name()
    {
        var objects = Objects();
        Assert.True(objects.Count >= 12, $"only {objects.Count} objects");
        Assert.All(objects, o =>
        {
            Assert.False(string.IsNullOrEmpty(Text(o, "apiVersion")));
            Assert.False(string.IsNullOrEmpty(Text(o, "kind")));
            Assert.False(string.IsNullOrEmpty(Text(o, "metadata", "name")));
        });
        var kinds = objects.Select(o => Text(o, "kind")).ToHashSet();
        foreach (var kind in new[] { "Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler", "Role", "RoleBinding", "ServiceAccount", "ConfigMap", "Secret" })
        {
            Assert.Contains(kind, kinds);
        }
    }

    [Fact]
    public void Silos_carry_what_Orleans_Kubernetes_hosting_reads_and_the_rights_it_needs()
    {
        var objects = Objects();
        var silo = Find(objects, "Deployment", "parley-silo");
        var labels = Labels(At(silo, "spec", "template", "metadata", "labels"));
        Assert.True(labels.ContainsKey("orleans/serviceId") && labels.ContainsKey("orleans/clusterId"), "pod labels orleans/serviceId and orleans/clusterId");
        var env = Env(Container(silo));
        foreach (var name in new[] { "POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID" })
        {
            Assert.True(env.ContainsKey(name), $"silo env {name}");
        }

        Assert.Equal("true", Text(env["Parley__Hosting__Kubernetes"], "value"));
        Assert.Equal("Silo", Text(env["Parley__Role"], "value"));

        // The service account's role allows get, list, watch and patch on pods.
        var account = Text(silo, "spec", "template", "spec", "serviceAccountName");
        var binding = objects.Single(o => Text(o, "kind") == "RoleBinding" &&
            ((YamlSequenceNode)At(o, "subjects")!).Children.Any(s => Text(s, "name") == account));
        var role = Find(objects, "Role", Text(binding, "roleRef", "name")!);
        var rule = ((YamlSequenceNode)At(role, "rules")!).Children.Single(r => ((YamlSequenceNode)At(r, "resources")!).Children.Any(x => x.ToString() == "pods"));
        var verbs = ((YamlSequenceNode)At(rule, "verbs")!).Children.Select(v => v.ToString()).ToHashSet();
        Assert.Superset(new HashSet<string> { "get", "list", "watch", "patch" }, verbs);
    }

    [Theory]
    [InlineData("parley-silo")]
    [InlineData("parley-frontend")]
    public void Probes_use_the_health_endpoints_and_the_grace_period_outlasts_the_shutdown_timeout(string name)
    {
        var objects = Objects();
        var deployment = Find(objects, "Deployment", name);
        var container = Container(deployment);
        Assert.Equal("/health/ready", Text(container, "readinessProbe", "httpGet", "path"));
        Assert.Equal("/health/live", Text(container, "livenessProbe", "httpGet", "path"));

        var config = Find(objects, "ConfigMap", "parley-config");
        var timeout = Text(Env(container).GetValueOrDefault("Parley__Hosting__ShutdownTimeout") ?? (YamlNode)new YamlMappingNode(), "value")
                      ?? Text(config, "data", "Parley__Hosting__ShutdownTimeout");
        Assert.NotNull(timeout);
        var preStop = ((YamlSequenceNode?)At(container, "lifecycle", "preStop", "exec", "command"))?.Children.Last().ToString();
        var grace = int.Parse(Text(deployment, "spec", "template", "spec", "terminationGracePeriodSeconds")!, System.Globalization.CultureInfo.InvariantCulture);
        var needed = TimeSpan.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture).TotalSeconds + (preStop is null ? 0 : int.Parse(preStop, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(grace > needed, $"{name}: terminationGracePeriodSeconds {grace} must exceed the shutdown timeout plus preStop ({needed} s)");
    }

    [Fact]
    public void Services_budgets_and_autoscalers_select_their_workloads()
    {
        var objects = Objects();
        var deployments = objects.Where(o => Text(o, "kind") == "Deployment").ToList();
        bool Selects(Dictionary<string, string> selector) => deployments.Any(d =>
            selector.All(s => Labels(At(d, "spec", "template", "metadata", "labels")).GetValueOrDefault(s.Key) == s.Value));

        Assert.All(deployments, d => Assert.True(
            Labels(At(d, "spec", "selector", "matchLabels")).All(s => Labels(At(d, "spec", "template", "metadata", "labels")).GetValueOrDefault(s.Key) == s.Value)));
        Assert.All(objects.Where(o => Text(o, "kind") == "Service"), s => Assert.True(Selects(Labels(At(s, "spec", "selector")))));
        Assert.All(objects.Where(o => Text(o, "kind") == "PodDisruptionBudget"), p => Assert.True(Selects(Labels(At(p, "spec", "selector", "matchLabels")))));
        Assert.All(objects.Where(o => Text(o, "kind") == "HorizontalPodAutoscaler"),
            h => Assert.Contains(deployments, d => Text(d, "metadata", "name") == Text(h, "spec", "scaleTargetRef", "name")));
    }

    [Fact]
    public void Secrets_are_referenced_not_written_into_workloads_or_config()
    {
        var objects = Objects();
        foreach (var deployment in objects.Where(o => Text(o, "kind") == "Deployment"))
        {
            var env = Env(Container(deployment));
            foreach (var name in new[] { "Parley__Storage__ConnectionString", "Parley__Auth__SigningKey" })
            {
                Assert.NotNull(At(env[name], "valueFrom", "secretKeyRef"));
            }
        }

        var config = Labels(At(Find(objects, "ConfigMap", "parley-config"), "data"));
        Assert.DoesNotContain(config.Keys, k => k.Contains("SigningKey", StringComparison.Ordinal) || k.Contains("ConnectionString", StringComparison.Ordinal));
        Assert.Equal("Production", config["ASPNETCORE_ENVIRONMENT"]);
    }

    [Fact]
    public async Task Every_object_passes_the_Kubernetes_schema_check()
    {
        // deploy/kubernetes/validate.sh: the JSON schemas of the npm package kubernetes-models (Kubernetes 1.27 API),
        // installed on first use like Azurite; needs Node.js. Catches wrong types and missing required fields (unknown
        // fields pass the schemas; the tests above check the fields Parley depends on by name).
        var start = new System.Diagnostics.ProcessStartInfo("bash", [Path.Combine(Folder, "validate.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await output + await errors);
        Assert.Contains("0 invalid", await output);
    }
}
