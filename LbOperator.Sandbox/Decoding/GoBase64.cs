namespace LbOperator.Sandbox.Decoding;

/// <summary>
/// Base64 as kube-apiserver decodes <c>[]byte</c> fields (Go's <c>base64.StdEncoding</c>): padding required, CR and
/// LF ignored, trailing bits ignored, and a failure reported at the byte offset Go reports, because that offset is
/// part of the error message clients see (<c>illegal base64 data at input byte 4</c>).
/// </summary>
public static class GoBase64
{
    /// <summary>Decodes <paramref name="text"/>; on failure returns false and the offset of the offending byte.</summary>
    public static bool TryDecode(string text, out byte[] decoded, out int errorOffset)
    {
        var src = System.Text.Encoding.UTF8.GetBytes(text);
        var output = new List<byte>((src.Length / 4 * 3) + 3);
        Span<int> quantum = stackalloc int[4];
        var si = 0;
        decoded = [];
        while (true)
        {
            var count = 0;
            var finished = false;
            while (count < 4)
            {
                if (si == src.Length)
                {
                    if (count == 0)
                    {
                        decoded = [.. output];
                        errorOffset = -1;
                        return true;
                    }

                    // An incomplete quantum without padding: Go points at where the quantum began.
                    errorOffset = si - count;
                    return false;
                }

                var c = src[si++];
                if (Value(c) is var value and >= 0)
                {
                    quantum[count++] = value;
                    continue;
                }

                if (c is (byte)'\n' or (byte)'\r')
                {
                    continue;
                }

                if (c != '=' || count < 2)
                {
                    errorOffset = si - 1;
                    return false;
                }

                if (count == 2)
                {
                    // "xx" needs "==": the first '=' is read, the second must follow (newlines aside).
                    SkipNewlines(src, ref si);
                    if (si == src.Length)
                    {
                        errorOffset = src.Length;
                        return false;
                    }

                    if (src[si] != '=')
                    {
                        errorOffset = si - 1;
                        return false;
                    }

                    si++;
                }

                SkipNewlines(src, ref si);
                if (si < src.Length)
                {
                    errorOffset = si;
                    return false;
                }

                finished = true;
                break;
            }

            output.Add((byte)((quantum[0] << 2) | (quantum[1] >> 4)));
            if (count > 2)
            {
                output.Add((byte)(((quantum[1] & 0xF) << 4) | (quantum[2] >> 2)));
            }

            if (count > 3)
            {
                output.Add((byte)(((quantum[2] & 0x3) << 6) | quantum[3]));
            }

            if (finished)
            {
                decoded = [.. output];
                errorOffset = -1;
                return true;
            }
        }
    }

    private static void SkipNewlines(byte[] src, ref int si)
    {
        while (si < src.Length && src[si] is (byte)'\n' or (byte)'\r')
        {
            si++;
        }
    }

    private static int Value(byte c) => c switch
    {
        >= (byte)'A' and <= (byte)'Z' => c - 'A',
        >= (byte)'a' and <= (byte)'z' => c - 'a' + 26,
        >= (byte)'0' and <= (byte)'9' => c - '0' + 52,
        (byte)'+' => 62,
        (byte)'/' => 63,
        _ => -1,
    };
}
