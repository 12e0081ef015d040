using System.Text.RegularExpressions;
using LbOperator.Gateway;
using LbOperator.Release;
using LbOperator.Tests.Testing;

namespace LbOperator.Tests.Images;

/// <summary>
/// The Dockerfiles and the version they are tagged with, read as text: the two ways of building the operator image
/// end in the same stage, the images are what the docs promise, and no tag is ever <c>latest</c>.
/// </summary>
[Category("Unit")]
public sealed partial class ImageRecipeTests
{
    private static string Read(string relativePath) => File.ReadAllText(Path.Combine(RepositoryRoot.Path, relativePath));

    [Test]
    public void Version_And_Image_Prefix_Come_From_Directory_Build_Props()
    {
        var props = Read("Directory.Build.props");

        ReleaseImages.Version.Should().Be(PropertyValue().Match(props).Groups[1].Value).And.MatchRegex(@"^\d+\.\d+\.\d+$");
        ReleaseImages.Operator.Should().Be($"ghcr.io/lboperator/lboperator:{ReleaseImages.Version}");
        ReleaseImages.Gateway.Should().Be($"ghcr.io/lboperator/lboperator-gateway:{ReleaseImages.Version}");
        GatewaySettings.DefaultImage.Should().Be(ReleaseImages.Gateway);
    }

    [Test]
    public void Makefile_Derives_Its_Image_Tags_From_Directory_Build_Props()
    {
        var makefile = Read("Makefile");

        makefile.Should().Contain("VERSION := $(shell sed -n 's:.*<Version>\\(.*\\)</Version>.*:\\1:p' Directory.Build.props)")
            .And.Contain("IMG ?= $(IMAGE_PREFIX)/lboperator:$(VERSION)")
            .And.Contain("GATEWAY_IMG ?= $(IMAGE_PREFIX)/lboperator-gateway:$(VERSION)");
    }

    [Test]
    public void The_Prebuilt_Dockerfile_Is_The_Final_Stage_Of_The_Multi_Stage_One()
    {
        var multiStage = FinalStage(Read("Dockerfile"));
        var prebuilt = FinalStage(Read("images/operator/Dockerfile.prebuilt"));

        prebuilt.Should().Equal(multiStage.Select(line => line == "COPY --from=build /publish/ /app/" ? "COPY publish/ /app/" : line));
        multiStage.Should().Contain("COPY --from=build /publish/ /app/");
    }

    [Test]
    public void Operator_Image_Runs_Self_Contained_As_Non_Root_On_Runtime_Deps()
    {
        var dockerfile = Read("Dockerfile");

        dockerfile.Should().Contain("ARG BASE_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0")
            .And.Contain("ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0")
            .And.Contain("--self-contained");
        var final = FinalStage(dockerfile);
        final.Should().Contain("USER 1654:1654", "numeric, so the kubelet can check runAsNonRoot; the Deployment runs as 1654")
            .And.Contain("ENTRYPOINT [\"/app/LbOperator\"]", "exec form: no shell in the image is needed");
        final.Should().NotContain(line => line.StartsWith("RUN ", StringComparison.Ordinal), "the final stage runs nothing, so any base works");
    }

    [Test]
    public void Gateway_Image_Installs_Exactly_What_The_Scripts_And_Keepalived_Need_With_The_Nf_Tables_Backend()
    {
        var dockerfile = Read("images/gateway/Dockerfile");

        dockerfile.Should().Contain("ARG BASE_IMAGE=docker.io/library/debian:bookworm-slim")
            .And.Contain("apt-get install -y --no-install-recommends iproute2 iptables iputils-arping keepalived \\")
            .And.Contain("update-alternatives --set iptables /usr/sbin/iptables-nft")
            .And.Contain("update-alternatives --set ip6tables /usr/sbin/ip6tables-nft");
    }

    [Test]
    public void No_Image_Recipe_Or_Manifest_Names_A_Latest_Tag()
    {
        var files = new[] { "Dockerfile", "images/operator/Dockerfile.prebuilt", "images/gateway/Dockerfile", "Makefile", "hack/images.sh", "hack/build-installer.sh" }
            .Concat(Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "config"), "*.yaml", SearchOption.AllDirectories)
                .Select(p => Path.GetRelativePath(RepositoryRoot.Path, p)));

        foreach (var file in files)
        {
            Read(file).Should().NotMatchRegex(@"(:|newTag: )latest\b", $"{file} pins a version");
        }
    }

    /// <summary>The instructions of the last stage, from its FROM line on, without comments and blank lines.</summary>
    private static IReadOnlyList<string> FinalStage(string dockerfile)
    {
        var lines = dockerfile.Split('\n').Select(l => l.TrimEnd()).ToList();
        var from = lines.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.Ordinal));
        return [.. lines.Skip(from).Where(l => l.Length > 0 && !l.StartsWith('#'))];
    }

    [GeneratedRegex("<Version>([^<]+)</Version>")]
    private static partial Regex PropertyValue();
}
