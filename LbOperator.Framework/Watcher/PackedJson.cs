using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace LbOperator.Framework.Watcher;

/// <summary>
/// How the cache keeps an object: its UTF-8 JSON compressed with Brotli at the fastest setting, behind its length.
/// The JSON of Kubernetes objects shrinks to about a third (the same keys on every object), which is most of an
/// operator's memory on a big cluster; packing and unpacking take microseconds, against tens for the deserialisation
/// every read does anyway.
/// </summary>
internal static class PackedJson
{
    private const int Quality = 1;

    // 2^18 bytes: larger than any object the API server stores (1.5 MB is etcd's limit, and few come near it) is not
    // needed for a good ratio, and a small window keeps the encoder's own memory small.
    private const int Window = 18;

    public static byte[] Pack(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var length = Encoding.UTF8.GetByteCount(json);
        var utf8 = ArrayPool<byte>.Shared.Rent(length);
        var packed = ArrayPool<byte>.Shared.Rent(sizeof(int) + BrotliEncoder.GetMaxCompressedLength(length));
        try
        {
            Encoding.UTF8.GetBytes(json, utf8);
            BinaryPrimitives.WriteInt32LittleEndian(packed, length);
            if (!BrotliEncoder.TryCompress(utf8.AsSpan(0, length), packed.AsSpan(sizeof(int)), out var written, Quality, Window))
            {
                throw new InvalidOperationException($"Brotli could not pack {length} bytes of JSON.");
            }

            return packed.AsSpan(0, sizeof(int) + written).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
            ArrayPool<byte>.Shared.Return(packed);
        }
    }

    /// <summary>Hands <paramref name="read"/> the JSON of <paramref name="packed"/> as a stream, for as long as it reads.</summary>
    public static T Unpack<T>(byte[] packed, Func<Stream, T> read)
    {
        ArgumentNullException.ThrowIfNull(packed);
        ArgumentNullException.ThrowIfNull(read);
        var length = BinaryPrimitives.ReadInt32LittleEndian(packed);
        var utf8 = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            if (!BrotliDecoder.TryDecompress(packed.AsSpan(sizeof(int)), utf8, out var written) || written != length)
            {
                throw new InvalidDataException($"A packed object did not unpack to its {length} bytes.");
            }

            using var stream = new MemoryStream(utf8, 0, length, writable: false);
            return read(stream);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }
}
