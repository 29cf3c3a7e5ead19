export { Slo, sloService, type SloTarget } from './slo';
export { defineSlo, readSloDefinitions, type SloDefinition, type SloOverrides, type SloProps, type SloService } from './slo-definition';
export { Sli, type EventsSliProps, type HttpErrorsSliProps, type HttpLatencySliProps, type RawSliProps, type SliProps } from './sli';
export { DEFAULT_ALERT_WINDOWS, SLO_PERIODS, burnRateFactor, burnTiers, type AlertWindows, type BurnTier, type BurnWindow, type SloPeriod } from './windows';
export { SLOTH, gateQueries, renderSloRuleFile, sloAlertNames, sloRuleGroups, type GateQueries, type SloRule, type SloRuleGroup } from './slo-rules';
export { SLO_RULE_FILE, sloAddon, sloGateDescriptor, type SloAddonProps } from './slo-addon';
export { GATE_DESCRIPTOR_FILE, gateDescriptor, parseGateDescriptor, type GateAuth, type GateDescriptor, type GateEndpoint, type GateSlo } from './gate-descriptor';
export { GATE_EXIT, runGate, type GateOverride, type GateRequest, type GateResult, type GateVerdict, type SloReading } from './gate';
export { GATE_USAGE, clusterDescriptorPath, gateMain } from './gate-cli';
