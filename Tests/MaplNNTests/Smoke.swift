import XCTest
@testable import MaplNN
final class MaplNNSmokeTests: XCTestCase { func testLinks() {} }
