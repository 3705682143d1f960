import XCTest
@testable import MaplEngine
final class MaplEngineSmokeTests: XCTestCase { func testLinks() {} }
