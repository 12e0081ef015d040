# The LbOperator operator image: a self-contained .NET publish on Microsoft's runtime-deps image.
#
#   docker build -t ghcr.io/lboperator/lboperator:0.1.0 .        (make docker-build IMG=...)
#
# Build arguments: SDK_IMAGE (the build stage), BASE_IMAGE (the image the operator runs on; it needs glibc, libssl
# and CA certificates, nothing of .NET: the publish is self-contained) and VERSION (labels only; the binary's
# version comes from Directory.Build.props). images/operator/Dockerfile.prebuilt makes the same final image from a
# publish directory built outside, which is how `make images` builds it without a registry.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG BASE_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0

FROM --platform=$BUILDPLATFORM ${SDK_IMAGE} AS build
ARG TARGETARCH
WORKDIR /src
# Restore first, from the project files alone, so that a source change reuses the restored layer.
COPY Directory.Build.props ./
COPY LbOperator.Framework/LbOperator.Framework.csproj LbOperator.Framework/
COPY LbOperator/LbOperator.csproj LbOperator/
RUN dotnet restore LbOperator/LbOperator.csproj --arch "${TARGETARCH:-amd64}" -p:SelfContained=true
COPY .editorconfig ./
COPY LbOperator.Framework/ LbOperator.Framework/
COPY LbOperator/ LbOperator/
# Style rules are the CI build's business (warnings are errors there); a newer SDK in SDK_IMAGE must not fail an image build.
RUN dotnet publish LbOperator/LbOperator.csproj --no-restore -c Release --arch "${TARGETARCH:-amd64}" --self-contained \
      -p:TreatWarningsAsErrors=false -o /publish

FROM ${BASE_IMAGE}
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="LbOperator" \
      org.opencontainers.image.description="LoadBalancer Services for bare-metal Kubernetes, Kube-OVN style" \
      org.opencontainers.image.source="https://github.com/lboperator/lboperator" \
      org.opencontainers.image.version="${VERSION}"
COPY --from=build /publish/ /app/
# Nothing is written outside /tmp (an emptyDir in the Deployment), so the root file system can be read-only.
ENV DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
WORKDIR /app
# The unprivileged "app" user of Microsoft's images, by number, so that runAsNonRoot can be checked and any base works.
USER 1654:1654
ENTRYPOINT ["/app/LbOperator"]
CMD ["run"]
