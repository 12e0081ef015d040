using System.CommandLine;

namespace LbOperator.Cli;

/// <summary>
/// <c>LbOperator validate -f FILE [-f FILE…]</c>: checks manifests offline, one line per object, exit code 1 when
/// any object is invalid. Objects of kinds no validator knows are reported as skipped, not as errors.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create(TextWriter stdout, ManifestReader reader, IReadOnlyList<IManifestValidator> validators)
    {
        var files = new Option<string[]>("--file", "-f")
        {
            Description = "A manifest file (YAML, several documents allowed). Repeat for more files.",
            Required = true,
        };
        var command = new Command("validate",
            "Check Subnets (and Services) offline before kubectl apply: prints one line per object; exit code 1 if any is invalid.");
        command.Options.Add(files);
        command.SetAction(parseResult =>
        {
            var manifests = reader.ReadFiles(parseResult.GetValue(files) ?? []);
            var allValid = true;
            foreach (var manifest in manifests)
            {
                var verdict = Check(manifest, manifests, validators);
                allValid &= verdict.IsValid;
                foreach (var line in verdict.Lines)
                {
                    stdout.WriteLine(line);
                }
            }

            return allValid ? 0 : 1;
        });
        return command;
    }

    private static ManifestVerdict Check(Manifest manifest, IReadOnlyList<Manifest> all, IReadOnlyList<IManifestValidator> validators)
    {
        if (manifest.ReadError is not null)
        {
            return ManifestVerdict.Invalid([$"{manifest.DisplayName.ToLowerInvariant()}: {manifest.ReadError}"]);
        }

        var validator = validators.FirstOrDefault(v => v.CanValidate(manifest));
        return validator?.Validate(manifest, all) ?? new ManifestVerdict(true,
            [$"{manifest.DisplayName}: skipped ({manifest.ApiVersion} {manifest.Kind} is not checked by validate)"]);
    }
}
