// Registers an in-process fusion primitive beside the built-ins and runs a small self-supervised
// architecture search whose candidate operations include it.
import BMNAS
import Contrastive
import Foundation
import FusionNAS
import FusionNASPipeline
import Tensors

do {
    // 1. A registry with the built-in components, exactly as `fusion-nas` builds it.
    let registry = ComponentRegistry()
    try BuiltInEncoders.register(in: registry)
    try BMNASComponents.register(in: registry)
    try ContrastiveComponents.register(in: registry)

    // 2. Our own primitive, registered in-process under a name the search space can use.
    try registry.register(
        primitive: PrimitiveFactory(
            name: "elementwise_max", version: "1.0", origin: .inProcess("custom-primitive-search"),
            summary: "elementwise maximum of the inputs"
        ) { _, _ in ElementwiseMax() })
    for entry in registry.listing() where entry.kind == .primitive {
        print("primitive \(entry.name) \(entry.version) from \(entry.origin)")
    }

    // 3. A small search on the embedded UCI multiple-features data, with elementwise_max as a candidate.
    var configuration = PipelineConfiguration()
    configuration.modalities = ["pix", "fou"]
    configuration.primitives = ["zero", "sum", "elementwise_max", "linear_glu"]
    configuration.channels = 16
    configuration.length = 4
    configuration.searchEpochs = 2
    configuration.encoderTraining = .joint
    configuration.batchSize = 32
    let data = try PreparedData.load(configuration)
    let pipeline = FusionPipeline(configuration: configuration, registry: registry, data: data) { event in
        if case .searchEpoch(_, let record) = event {
            print("epoch \(record.epoch): train loss \(record.trainLoss), held-out score \(record.score)")
        }
    }
    var rng = SeededGenerator(seed: configuration.seed)
    let encoders = try pipeline.makeEncoders(rng: &rng)
    let (network, supernet) = try pipeline.makeSupernetwork(encoders: encoders, rng: &rng)
    let objective = try pipeline.makeSelfSupervisedObjective(network: network, rng: &rng)
    // A few hundred unlabelled samples keep the example under a minute in a debug build.
    let (train, heldOut) = PreparedData.halves(Array(data.split.train.prefix(256)), seed: 1)
    let search = try pipeline.search(
        network: network, supernet: supernet, objective: objective, train: train, heldOut: heldOut,
        stage: Stage.selfSupervisedSearch.named("search"))

    // 4. The genotype is plain data naming the chosen primitives.
    let genotype = search.genotype
    print("genotype: \(genotype)")
    let chosen = genotype.cells.flatMap(\.steps).map(\.primitive)
    print("elementwise_max chosen in \(chosen.filter { $0 == "elementwise_max" }.count) of \(chosen.count) steps")
} catch {
    FileHandle.standardError.write(Data("custom-primitive-search: \(error)\n".utf8))
    exit(1)
}
