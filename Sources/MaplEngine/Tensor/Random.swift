import CKernels
import Foundation

/// mapl's one source of randomness: **xoshiro256\*\*** (Blackman & Vigna, 2018), seeded through
/// **SplitMix64** so that any 64-bit seed gives a well-mixed state.
///
/// - Uniform floats take the top 24 bits of a draw: `Float(x >> 40) * 2⁻²⁴`, in [0, 1).
/// - Normal draws use the **Box–Muller** transform on two uniform doubles in (0, 1], producing a pair;
///   the second value is kept for the next call.
///
/// Every random draw in mapl (initialisation, dropout masks, shuffling) goes through `Random`, which draws
/// from the current thread's `RandomSource` — a session's own — so `seed(n)` makes a whole session
/// reproducible bit for bit.
public struct RandomGenerator: Sendable {
    private var s0: UInt64 = 0, s1: UInt64 = 0, s2: UInt64 = 0, s3: UInt64 = 0
    private var spareNormal: Double? = nil

    /// A generator in the state `seed` determines.
    public init(seed: UInt64) { reseed(seed) }

    /// Restarts the sequence from `seed`.
    public mutating func reseed(_ seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
        spareNormal = nil
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// The next 64 random bits.
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = RandomGenerator.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = RandomGenerator.rotl(s3, 45)
        return result
    }

    /// A float uniform in [0, 1).
    @inline(__always)
    public mutating func nextFloat() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }

    /// A double uniform in (0, 1] — never 0, so its logarithm is finite.
    @inline(__always)
    public mutating func nextOpenDouble() -> Double { (Double(next() >> 11) + 1) * (1.0 / 9_007_199_254_740_992.0) }

    /// A standard normal draw (Box–Muller).
    public mutating func nextNormal() -> Float {
        if let spare = spareNormal { spareNormal = nil; return Float(spare) }
        let u1 = nextOpenDouble(), u2 = nextOpenDouble()
        let r = (-2 * Foundation.log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        spareNormal = r * Foundation.sin(theta)
        return Float(r * Foundation.cos(theta))
    }

    /// A uniform integer in 0..<n (Lemire's multiply-shift with rejection, so it is unbiased).
    public mutating func nextInt(below n: Int) -> Int {
        precondition(n > 0)
        let bound = UInt64(n)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return Int(m.high)
    }

    /// A Fisher–Yates shuffle of 0..<n.
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        if n < 2 { return p }
        for i in stride(from: n - 1, to: 0, by: -1) {
            p.swapAt(i, nextInt(below: i + 1))
        }
        return p
    }
}

/// One stream of random numbers: a generator behind a mutex. Each session owns one and installs it on its
/// thread, so `seed(n)` in one session leaves every other session's draws as they were; threads without one
/// share `RandomSource.processDefault`.
public final class RandomSource: Sendable {
    /// The seed every new source starts from ("mapl"), so an unseeded session is reproducible too.
    public static let defaultSeed: UInt64 = 0x6D61_706C

    /// The source of threads that installed none (tests and tools driving an interpreter directly).
    public static let processDefault = RandomSource()

    private let generator: Locked<RandomGenerator>

    /// A source in the state `seed` determines.
    public init(seed: UInt64 = RandomSource.defaultSeed) { generator = Locked(RandomGenerator(seed: seed)) }

    /// Restarts the sequence from `seed`.
    public func reseed(_ seed: UInt64) { generator.withLock { $0.reseed(seed) } }

    /// Runs `body` with exclusive access to the generator.
    public func with<T>(_ body: (inout RandomGenerator) throws -> T) rethrows -> T {
        try generator.withLock { try body(&$0) }
    }

    /// The source draws on the current thread come from: the installed one, else `processDefault`.
    public static var current: RandomSource {
        guard let pointer = mapl_get_random_source() else { return processDefault }
        return Unmanaged<RandomSource>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// Makes `self` the current thread's source. The thread must keep it alive while installed (a session
    /// owns its source for its whole life).
    public func installOnCurrentThread() { mapl_set_random_source(Unmanaged.passUnretained(self).toOpaque()) }

    /// Returns the current thread to `processDefault`.
    public static func uninstallFromCurrentThread() { mapl_set_random_source(nil) }
}

/// Random draws from the current thread's source (`RandomSource.current`): a session's own generator on a
/// session thread.
public enum Random {
    /// Reseeds the current thread's source: every later draw on it is determined by `seed`.
    public static func seed(_ seed: UInt64) { RandomSource.current.reseed(seed) }

    /// Runs `body` with exclusive access to the current thread's generator.
    public static func with<T>(_ body: (inout RandomGenerator) throws -> T) rethrows -> T {
        try RandomSource.current.with(body)
    }
}
