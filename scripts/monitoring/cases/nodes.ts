import { KSM, s, type RuleCases, type Series } from './types';

const FS = 'job="node-exporter",instance="node-a",device="/dev/nvme0n1p1",fstype="ext4",mountpoint="/"';
const FSL = { job: 'node-exporter', instance: 'node-a', device: '/dev/nvme0n1p1', fstype: 'ext4', mountpoint: '/' };
const K = 'job="kubelet",metrics_path="/metrics"';
const PVC = `${K},namespace="shop",persistentvolumeclaim="data"`;
const PVCL = { job: 'kubelet', metrics_path: '/metrics', namespace: 'shop', persistentvolumeclaim: 'data' };
const warning = { severity: 'warning' };
const critical = { severity: 'critical' };

/** A filesystem's free space (or inodes) and size, writable. */
function fs(kind: 'space' | 'files', free: string): Series[] {
  const [f, total] = kind === 'space' ? ['node_filesystem_avail_bytes', 'node_filesystem_size_bytes'] : ['node_filesystem_files_free', 'node_filesystem_files'];
  return [s(`${f}{${FS}}`, free), s(`${total}{${FS}}`, '100x70'), s(`node_filesystem_readonly{${FS}}`, '0x70')];
}

/** A volume claim's free bytes (or inodes), capacity and use, and optionally its access mode. */
function pvc(kind: 'bytes' | 'inodes', free: string, mode?: string): Series[] {
  const [f, total, used] = kind === 'bytes'
    ? ['kubelet_volume_stats_available_bytes', 'kubelet_volume_stats_capacity_bytes', 'kubelet_volume_stats_used_bytes']
    : ['kubelet_volume_stats_inodes_free', 'kubelet_volume_stats_inodes', 'kubelet_volume_stats_inodes_used'];
  return [
    s(`${f}{${PVC}}`, free), s(`${total}{${PVC}}`, '100x70'), s(`${used}{${PVC}}`, '50x70'),
    ...(mode === undefined ? [] : [s(`kube_persistentvolumeclaim_access_mode{${KSM},namespace="shop",persistentvolumeclaim="data",access_mode="${mode}"}`, '1x70')]),
  ];
}

const node = (condition: string, value: string, unschedulable: string): Series[] => [
  s(`kube_node_status_condition{${KSM},node="node-a",condition="${condition}",status="true"}`, value), s(`kube_node_spec_unschedulable{${KSM},node="node-a"}`, unschedulable),
];

/** Node filesystems and file descriptors, nodes and kubelets, persistent volumes. */
export function nodeCases(): RuleCases {
  const fillingUp = (kind: 'space' | 'files', start: number) => ({
    // Falling 0.1 a sample from just under the critical threshold: below both tiers' thresholds and predicted empty within 4h.
    fires: { series: fs(kind, `${start}-0.1x70`), at: '65m', alerts: [{ ...FSL, ...warning }, { ...FSL, ...critical }] },
    quiet: { series: fs(kind, `${start}x70`), at: '65m', alerts: [] },
  });
  const kubeletCertificate = (which: string) => ({
    fires: { series: [s(`kubelet_certificate_manager_${which}_ttl_seconds{${K},node="node-a"}`, '3600x40')], alerts: [{ job: 'kubelet', metrics_path: '/metrics', node: 'node-a', ...warning }, { job: 'kubelet', metrics_path: '/metrics', node: 'node-a', ...critical }] },
    quiet: { series: [s(`kubelet_certificate_manager_${which}_ttl_seconds{${K},node="node-a"}`, '8640000x40')], alerts: [] },
  });
  const volume = (kind: 'bytes' | 'inodes') => ({
    fires: [
      { series: pvc(kind, '2x70'), alerts: [{ ...PVCL, ...critical }] },
      // Falling from 14% free: under 15%, predicted full within four days, not yet under 3%.
      { series: pvc(kind, '14-0.1x70'), at: '65m', alerts: [{ ...PVCL, ...warning }] },
    ],
    // A read-only claim never fills: excluded as the mixin excludes it.
    quiet: { series: pvc(kind, '2x70', 'ReadOnlyMany'), alerts: [] },
  });
  return {
    NodeFilesystemSpaceFillingUp: fillingUp('space', 9),
    NodeFilesystemAlmostOutOfSpace: {
      fires: { series: fs('space', '2x70'), at: '40m', alerts: [{ ...FSL, ...warning }, { ...FSL, ...critical }] },
      quiet: { series: fs('space', '50x70'), at: '40m', alerts: [] },
    },
    NodeFilesystemFilesFillingUp: fillingUp('files', 19),
    NodeFilesystemAlmostOutOfFiles: {
      fires: { series: fs('files', '2x70'), at: '65m', alerts: [{ ...FSL, ...warning }, { ...FSL, ...critical }] },
      quiet: { series: fs('files', '50x70'), at: '65m', alerts: [] },
    },
    NodeFileDescriptorLimit: {
      fires: { series: [s('node_filefd_allocated{job="node-exporter",instance="node-a"}', '95x40'), s('node_filefd_maximum{job="node-exporter",instance="node-a"}', '100x40')], alerts: [{ job: 'node-exporter', instance: 'node-a', ...warning }, { job: 'node-exporter', instance: 'node-a', ...critical }] },
      quiet: { series: [s('node_filefd_allocated{job="node-exporter",instance="node-a"}', '10x40'), s('node_filefd_maximum{job="node-exporter",instance="node-a"}', '100x40')], alerts: [] },
    },
    KubeNodeNotReady: {
      fires: { series: node('Ready', '0x40', '0x40'), alerts: [{ job: 'kube-state-metrics', node: 'node-a', condition: 'Ready', status: 'true' }] },
      // A cordoned node (drained on purpose) does not alert.
      quiet: { series: node('Ready', '0x40', '1x40'), alerts: [] },
    },
    KubeNodePressure: {
      fires: { series: node('MemoryPressure', '1x40', '0x40'), alerts: [{ job: 'kube-state-metrics', node: 'node-a', condition: 'MemoryPressure', status: 'true' }] },
      quiet: { series: node('MemoryPressure', '1x40', '1x40'), alerts: [] },
    },
    KubeletDown: {
      fires: { series: [s(`kube_node_info{${KSM},node="node-a"}`, '1x40'), s(`up{${K},instance="node-a"}`, '0x40')], alerts: [{}] },
      quiet: { series: [s(`kube_node_info{${KSM},node="node-a"}`, '1x40'), s(`up{${K},instance="node-a"}`, '1x40')], alerts: [] },
    },
    KubeletClientCertificateExpiration: kubeletCertificate('client'),
    KubeletServerCertificateExpiration: kubeletCertificate('server'),
    KubePersistentVolumeFillingUp: volume('bytes'),
    KubePersistentVolumeInodesFillingUp: volume('inodes'),
    KubePersistentVolumeErrors: {
      fires: { series: [s(`kube_persistentvolume_status_phase{${KSM},persistentvolume="pv-1",phase="Failed"}`, '1x40')], alerts: [{ job: 'kube-state-metrics', persistentvolume: 'pv-1', phase: 'Failed' }] },
      quiet: { series: [s(`kube_persistentvolume_status_phase{${KSM},persistentvolume="pv-1",phase="Failed"}`, '0x40'), s(`kube_persistentvolume_status_phase{${KSM},persistentvolume="pv-1",phase="Bound"}`, '1x40')], alerts: [] },
    },
  };
}
