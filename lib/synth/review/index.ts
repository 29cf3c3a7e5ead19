// Reviewing a change: the synthesized output's diff as Markdown, and a cluster's graph.
export { diffMain, graphMain, DIFF_USAGE, GRAPH_USAGE, type CommandIo, type Synthesizer } from './review-commands';
export { diffDists, diffOutputs, hasChanges, type ClusterDiff, type ObjectDiff, type FileDiff, type Change } from './dist-diff';
export { diffMarkdown, type DiffLabels } from './diff-markdown';
export { readDistFiles, readClusterOutput, parseClusterOutput, type DistFiles, type ClusterOutput, type ManifestObject, type OtherFile } from './dist-reader';
export { fieldChanges, type FieldChange } from './field-diff';
export { withCheckout, resolveCommit } from './base-checkout';
export { clusterGraph, graphDot, type ClusterGraph, type GraphNode, type GraphEdge, type NodeKind, type EdgeKind } from './cluster-graph';
export { renderSvg } from './graphviz';
