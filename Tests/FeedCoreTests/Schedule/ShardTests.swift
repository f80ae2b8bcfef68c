import Foundation
import Testing

@testable import FeedCore

/// `Shard`: the hash that splits one config over N instances, its syntax, and `"shard"` in feeds.json.
@Suite struct ShardTests {
    /// FNV-1a 64 reference values (the FNV authors' test vectors for "", "a" and "foobar"): every instance, on
    /// every machine and in every release, must agree on the hash, or a feed would move and log its stories again.
    @Test(arguments: [
        ("", 0xcbf2_9ce4_8422_2325 as UInt64), ("a", 0xaf63_dc4c_8601_ec8c), ("foobar", 0x8594_4171_f739_67e8),
        ("ladaily", 0xdeb8_94b0_536b_c96b),
    ])
    func hashIsFNV1a64OfTheUTF8Bytes(text: String, hash: UInt64) {
        #expect(StableHash.fnv1a64(text) == hash)
    }

    /// Pinned assignments (hash modulo N == K-1), worked out by hand from the hashes above.
    @Test func aFeedGoesToTheShardItsHashNames() throws {
        let ladaily = FeedID("ladaily")  // 0xdeb894b0536bc96b: mod 2 = 1, mod 3 = 1, mod 4 = 3, mod 10 = 3
        #expect(try #require(Shard(parsing: "2/2")).handles(ladaily))
        #expect(try #require(Shard(parsing: "2/3")).handles(ladaily))
        #expect(try #require(Shard(parsing: "4/4")).handles(ladaily))
        #expect(try #require(Shard(parsing: "4/10")).handles(ladaily))
        #expect(!(try #require(Shard(parsing: "1/4")).handles(ladaily)))
        #expect(try #require(Shard(parsing: "1/1")).handles(ladaily))
        #expect(try #require(Shard(parsing: "1/2")).handles(FeedID("foobar")))  // 0x85944171f73967e8 is even
    }

    /// Every id is handled by exactly one of the N shards, and no shard is left nearly empty.
    @Test(arguments: [1, 2, 3, 4, 7, 16])
    func everyFeedIsInExactlyOneShard(count: Int) throws {
        let shards = try (1...count).map { try #require(Shard(index: $0, count: count)) }
        let ids = (0..<2000).map { FeedID.derived(from: "https://example.org/feed/\($0).xml") } + [FeedID("ladaily")]
        var sizes = Array(repeating: 0, count: count)
        for id in ids {
            let handling = shards.indices.filter { shards[$0].handles(id) }
            #expect(handling.count == 1, "\(id) is in shards \(handling)")
            for index in handling { sizes[index] += 1 }
        }
        #expect(sizes.reduce(0, +) == ids.count)
        let fair = ids.count / count
        #expect(sizes.allSatisfy { $0 > fair / 2 }, "\(sizes)")
    }

    @Test(arguments: ["1/1", "1/4", "4/4", "3/7", "12/1000000", "0001/2"])
    func validShardsParse(text: String) throws {
        let shard = try #require(Shard(parsing: text))
        #expect(1 <= shard.index && shard.index <= shard.count)
    }

    @Test(arguments: [
        "", "1", "0/4", "5/4", "1/0", "-1/4", "1/-4", "+1/4", "1 /4", " 1/4", "1/4/2", "a/b", "1/",
        "/4", "1-4", "1/1000001", "99999999999999999999/2", "１/４",
    ])
    func invalidShardsAreRefused(text: String) {
        #expect(Shard(parsing: text) == nil)
    }

    @Test func descriptionIsTheSyntax() throws {
        #expect(try #require(Shard(parsing: "03/12")).description == "3/12")
    }

    // MARK: - feeds.json

    @Test func configShardIsDecoded() throws {
        let config = try ConfigDecoderTests.config(#"{"shard": "2/3", "feeds": ["https://a.org/f"]}"#)
        #expect(config.shard == Shard(index: 2, count: 3))
        #expect(try ConfigDecoderTests.config(#"{"feeds": []}"#).shard == nil)
    }

    @Test func badConfigShardIsAProblemAtItsPath() {
        let expected = "feeds.json: shard: expected \(Shard.expected), found"
        #expect(ConfigDecoderTests.problems(#"{"shard": "4/3", "feeds": []}"#) == ["\(expected) \"4/3\""])
        #expect(
            ConfigDecoderTests.problems(#"{"shard": 2, "feeds": []}"#) == [
                "feeds.json: shard: expected a string, found 2"
            ])
        #expect(
            ConfigDecoderTests.problems(#"{"shards": "1/2", "feeds": []}"#).first?.hasPrefix(
                "feeds.json: shards: unknown field (did you mean \"shard\"?)") == true)
    }

    @Test func handledFeedsAreTheShardsShareInConfigOrder() throws {
        let urls = (0..<30).map { "\"https://example.org/\($0).xml\"" }.joined(separator: ",")
        let all = try ConfigDecoderTests.config(#"{"feeds": [\#(urls)]}"#)
        #expect(all.handledFeeds == all.feeds)
        var union: [FeedConfig] = []
        for index in 1...3 {
            var config = all
            config.shard = Shard(index: index, count: 3)
            #expect(config.handledFeeds.allSatisfy { config.shard!.handles($0.id) })
            union += config.handledFeeds
        }
        #expect(union.count == 30)
        #expect(Set(union.map(\.id)) == Set(all.feeds.map(\.id)))
    }
}
