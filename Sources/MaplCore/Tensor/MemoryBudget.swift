import Foundation

/// The one check every user-sized buffer passes before it is allocated: can the process get it?
///
/// Why: Swift ends the process ("failed to allocate") when an allocation fails, so a tensor, product or string
/// too large for the machine must be refused *before* the allocation, with an error the session survives.
/// What the process can get is the least of: the free memory of the machine (`MemAvailable` + free swap),
/// the room left under the address-space and data-segment limits (`ulimit -v`, `ulimit -d`: the limit minus
/// what the process already maps) and under a cgroup v2 memory limit. A request must also leave
/// `reserve` bytes over, so the session can go on after it.
///
/// Requests below `unchecked` bytes are not looked at (reading `/proc` costs ~20 µs; a small buffer that does
/// not fit means the session was already out of memory).
public enum MemoryBudget {
    /// Requests smaller than this (16 MiB) are allowed without looking.
    public static let unchecked = 16 << 20
    /// What a granted request must leave free (64 MiB).
    public static let reserve = 64 << 20

    /// Throws unless `count` elements of `elementSize` bytes (a tensor of `shape`, or `what` when given)
    /// can be allocated. `count` must be a checked element count (`Shape.checkedCount`).
    public static func check(count: Int, elementSize: Int = MemoryLayout<Float>.size, shape: [Int]? = nil, what: String? = nil) throws {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: elementSize)
        if !overflow && bytes < unchecked { return }
        try check(bytes: overflow ? Int.max : bytes, what: what ?? shape.map { "a \(shapeString($0)) tensor" } ?? "\(count) elements")
    }

    /// Throws unless a tensor of `shape` can be allocated; returns its element count. Validates the shape
    /// as `Shape.checkedCount` does.
    @discardableResult
    public static func check(shape: [Int]) throws -> Int {
        let n = try Shape.checkedCount(shape)
        try check(count: n, shape: shape)
        return n
    }

    /// Throws unless `bytes` can be allocated, naming `what` ("a [100000, 100000] tensor", "a string").
    public static func check(bytes: Int, what: @autoclosure () -> String) throws {
        guard bytes >= unchecked else { return }
        let limit = available()
        let (needed, overflow) = bytes.addingReportingOverflow(reserve)
        guard overflow || needed > limit.bytes else { return }
        throw TensorError("needs \(format(bytes)) for \(what()); \(limit.reason)")
    }

    /// The bytes the process can still allocate, and a sentence saying what bounds them.
    public static func available() -> (bytes: Int, reason: String) {
        var best = (bytes: Int.max, reason: "")
        func consider(_ bytes: Int, _ reason: String) { if bytes < best.bytes { best = (Swift.max(bytes, 0), reason) } }

        let info = meminfo()
        if let total = info["MemTotal"], let free = info["MemAvailable"] {
            let swap = info["SwapFree"] ?? 0
            consider(free + swap, "this machine has \(format(total, exact: false))" + (free + swap < total / 2 ? ", \(format(free + swap)) of it free" : ""))
        }
        let mapped = statm()
        if let limit = rlimit(RLIMIT_AS) {
            consider(limit - mapped.size, "the process may map \(format(limit)) in all (ulimit -v) and already maps \(format(mapped.size))")
        }
        if let limit = rlimit(RLIMIT_DATA) {
            consider(limit - mapped.data, "the process may use \(format(limit)) of data in all (ulimit -d) and already uses \(format(mapped.data))")
        }
        if let max = cgroupValue("memory.max"), let current = cgroupValue("memory.current") {
            consider(max - current, "its control group may use \(format(max)) and already uses \(format(current))")
        }
        return best
    }

    /// "37.3 GiB", "512 MiB" (binary units, as memory is sold and `free -h` shows it); `exact: false`
    /// rounds a machine's size to whole GiB ("24 GiB").
    static func format(_ bytes: Int, exact: Bool = true) -> String {
        let b = Double(bytes), gib = Double(1 << 30), mib = Double(1 << 20)
        if !exact && b >= gib { return "\(Int((b / gib).rounded())) GiB" }
        if b >= 1024 * gib { return String(format: "%.1f TiB", b / (1024 * gib)) }
        if b >= gib { return String(format: "%.1f GiB", b / gib) }
        if b >= mib { return String(format: "%.0f MiB", b / mib) }
        return "\(bytes) bytes"
    }

    /// The soft limit of `resource` in bytes, nil when unlimited.
    private static func rlimit(_ resource: __rlimit_resource) -> Int? {
        var limit = Glibc.rlimit()
        guard getrlimit(__rlimit_resource_t(resource.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
        return Int(clamping: limit.rlim_cur)
    }

    /// The process's mapped size and data segment (`/proc/self/statm` fields 1 and 6), in bytes.
    private static func statm() -> (size: Int, data: Int) {
        let fields = (read("/proc/self/statm") ?? "").split(separator: " ").compactMap { Int($0) }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard fields.count >= 6 else { return (0, 0) }
        return (fields[0] * page, fields[5] * page)
    }

    /// `/proc/meminfo` in bytes by field name.
    private static func meminfo() -> [String: Int] {
        var out: [String: Int] = [:]
        for line in (read("/proc/meminfo") ?? "").split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == ":" || $0 == " " })
            if parts.count >= 2, let kb = Int(parts[1]) { out[String(parts[0])] = kb * 1024 }
        }
        return out
    }

    /// A value of this process's cgroup v2 folder (`memory.max` is "max" when unlimited).
    private static func cgroupValue(_ name: String) -> Int? {
        guard let line = read("/proc/self/cgroup")?.split(separator: "\n").first(where: { $0.hasPrefix("0::") }) else { return nil }
        let path = "/sys/fs/cgroup" + line.dropFirst(3) + "/" + name
        return read(path).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    private static func read(_ path: String) -> String? {
        guard let h = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? h.close() }
        return (try? h.readToEnd()).map { String(decoding: $0, as: UTF8.self) }
    }
}
