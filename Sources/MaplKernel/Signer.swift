import CCrypto

/// Signs and checks messages with HMAC-SHA256 under the connection file's key (libcrypto's `HMAC`). The
/// signature covers the header, parent header, metadata and content frames, in that order, and travels as
/// lowercase hex. An empty key turns signing off: messages carry an empty signature and any is accepted.
public struct Signer: Sendable {
    public let key: [UInt8]
    public init(key: [UInt8]) { self.key = key }

    public var isSigning: Bool { !key.isEmpty }

    /// The hex signature of `parts` (empty when signing is off).
    public func signature(_ parts: [[UInt8]]) -> [UInt8] {
        guard isSigning else { return [] }
        var data: [UInt8] = []
        data.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for p in parts { data += p }
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = key.withUnsafeBytes { k in
            data.withUnsafeBufferPointer { d in
                HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), d.baseAddress, d.count, &digest, &length)
            }
        }
        guard ok != nil, length == 32 else { return [] }
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in digest { out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 15)]) }
        return out
    }

    /// Whether `signature` is the signature of `parts`, compared in constant time (a timing difference
    /// would tell an attacker how much of a forged signature is right).
    public func verify(_ signature: [UInt8], _ parts: [[UInt8]]) -> Bool {
        guard isSigning else { return true }
        let expected = self.signature(parts)
        guard !expected.isEmpty, signature.count == expected.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<expected.count { difference |= expected[i] ^ signature[i] }
        return difference == 0
    }
}
