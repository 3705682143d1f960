import CCrypto

/// SHA-256 (FIPS 180-4), used to verify downloaded dataset files: OpenSSL's libcrypto through its EVP
/// digest interface, a maintained implementation (with the CPU's SHA instructions where it has them), linked
/// as OpenBLAS and zlib are. A class, because it owns libcrypto's digest context.
public final class SHA256 {
    private let context: OpaquePointer
    private var finished = false

    /// A fresh hash state; throws if libcrypto cannot allocate or initialise one.
    public init() throws {
        guard let context = EVP_MD_CTX_new() else { throw DataError("SHA-256: libcrypto could not allocate a digest context") }
        self.context = context
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            EVP_MD_CTX_free(context)
            throw DataError("SHA-256: libcrypto could not initialise the digest")
        }
    }

    deinit { EVP_MD_CTX_free(context) }

    /// The hex digest of `bytes` in one call.
    public static func hex(_ bytes: [UInt8]) throws -> String {
        let h = try SHA256()
        try h.update(bytes)
        return try h.finalize().map { byte in
            let s = String(byte, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }

    /// Absorbs more message bytes.
    public func update(_ bytes: [UInt8]) throws {
        guard !finished else { throw DataError("SHA-256: update after finalize") }
        let ok = bytes.withUnsafeBytes { EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
        guard ok == 1 else { throw DataError("SHA-256: libcrypto failed to absorb \(bytes.count) bytes") }
    }

    /// The 32-byte digest. The state is spent afterwards.
    public func finalize() throws -> [UInt8] {
        guard !finished else { throw DataError("SHA-256: finalize called twice") }
        finished = true
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &digest, &length) == 1, length == 32 else {
            throw DataError("SHA-256: libcrypto failed to finish the digest")
        }
        return Array(digest.prefix(32))
    }
}
