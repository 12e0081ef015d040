namespace LbOperator.Framework.Transpilation;

/// <summary>
/// An install tree for clusters where another project owns the CRDs of some API groups the operator serves: the
/// operator works with that project's CRD, so installing its own over it would change (and uninstalling would delete)
/// what is not the operator's. <c>{Folder}/</c> is <c>default/</c> without those CRDs, <c>{Folder}/crd/</c> is
/// <c>crd/</c> without them; both take them out with kustomize delete patches, so the CRD files exist once.
/// </summary>
/// <param name="Folder">Folder of the variant under the tree's root, e.g. "kube-ovn".</param>
/// <param name="LeftOutCrdGroups">API groups whose CRDs the variant leaves out, e.g. "kubeovn.io".</param>
public sealed record ManifestVariant(string Folder, IReadOnlyList<string> LeftOutCrdGroups);
