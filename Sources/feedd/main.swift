import FeedCore
import Foundation

exit(await Feedd.main(arguments: CommandLine.arguments))
