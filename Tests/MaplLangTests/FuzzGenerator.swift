import MaplEngine

/// Seeded choices for the fuzz tests: a local instance of the engine's generator (xoshiro256**), so the
/// generated inputs never depend on — or disturb — the global random state.
struct FuzzGenerator {
    private var generator: RandomGenerator
    init(state: UInt64) { generator = RandomGenerator(seed: state) }
    mutating func next() -> UInt64 { generator.next() }
    mutating func below(_ n: Int) -> Int { n > 0 ? generator.nextInt(below: n) : 0 }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}
