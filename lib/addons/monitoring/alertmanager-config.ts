import type { IConstruct } from 'constructs';
import type { SecretKeyRef } from '../../apps/secrets';
import { urlPort } from './monitoring-network-policies';
import { Cidr, Duration, PlatformError, checkDnsLabel, parseAt, pathOf, type CidrLike, type DurationLike } from '../../core';

/** Where Alertmanager finds the mounted credential files: `<dir>/<secret>/<key>`. */
export const ALERTMANAGER_SECRETS_DIR = '/etc/alertmanager/secrets';

/**
 * Where a notification goes. Credentials are never values: each names a key of a Secret in the
 * monitoring namespace, mounted as a file that the receiver reads (`*_file` fields).
 */
export type ReceiverProps =
  | {
    readonly kind: 'webhook';
    /** The receiver's name, as routes name it. */
    readonly name: string;
    /** The endpoint (not a secret: the credential goes in the Authorization header). */
    readonly url: string;
    /** The bearer credential, sent as `Authorization: Bearer <file content>`. @default - none */
    readonly credentials?: SecretKeyRef;
    /**
     * The address blocks the receiver is at: Alertmanager's egress to it, on its port (a
     * NetworkPolicy matches addresses, not host names).
     * @default - the public internet on its port (PUBLIC_INTERNET_EXCEPT says what that leaves out)
     */
    readonly egressTo?: readonly CidrLike[];
  }
  | {
    readonly kind: 'slack';
    readonly name: string;
    /** The incoming-webhook URL, which is itself the secret. */
    readonly apiUrl: SecretKeyRef;
    /** The channel (`#shop-alerts`). */
    readonly channel: string;
    /**
     * The address blocks the receiver is at: Alertmanager's egress to it, on its port (a
     * NetworkPolicy matches addresses, not host names).
     * @default - the public internet on its port (PUBLIC_INTERNET_EXCEPT says what that leaves out)
     */
    readonly egressTo?: readonly CidrLike[];
  }
  | {
    readonly kind: 'pagerduty';
    readonly name: string;
    /** The Events API v2 routing key. */
    readonly routingKey: SecretKeyRef;
    /**
     * The address blocks the receiver is at: Alertmanager's egress to it, on its port (a
     * NetworkPolicy matches addresses, not host names).
     * @default - the public internet on its port (PUBLIC_INTERNET_EXCEPT says what that leaves out)
     */
    readonly egressTo?: readonly CidrLike[];
  };

/** Notifications for one team: alerts labelled with the team, or raised in its namespaces. */
export interface TeamRouteProps {
  /** The team (alerts whose `team` label is this go to it). */
  readonly team: string;
  /** The team's namespaces (alerts with one of them as `namespace` go to it). @default [] */
  readonly namespaces?: readonly string[];
  /** The receiver of its alerts. */
  readonly receiver: string;
  /** The receiver of its critical alerts (a pager). @default - the same receiver */
  readonly criticalReceiver?: string;
}

/** One label matcher (`severity="critical"`). */
export interface MatcherProps {
  readonly label: string;
  /** @default '=' */
  readonly op?: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** While a source alert fires, target alerts with the same `equal` labels are muted. */
export interface InhibitRuleProps {
  readonly source: readonly MatcherProps[];
  readonly target: readonly MatcherProps[];
  readonly equal: readonly string[];
}

/** Props of the Alertmanager configuration. */
export interface AlertmanagerConfigProps {
  /** Every receiver. */
  readonly receivers: readonly ReceiverProps[];
  /** The receiver of alerts no team route takes (the platform team's). */
  readonly defaultReceiver: string;
  /** The receiver of the platform's critical alerts. @default - defaultReceiver */
  readonly defaultCriticalReceiver?: string;
  /** The external heartbeat receiver the always-firing `Watchdog` alert goes to (the dead man's switch). */
  readonly heartbeatReceiver: string;
  /** Routes per team, tried in order. @default [] */
  readonly teams?: readonly TeamRouteProps[];
  /** Inhibition rules. @default critical mutes warning and info, warning mutes info, for the same alert, namespace and cluster */
  readonly inhibitRules?: readonly InhibitRuleProps[];
  /** How long to wait before resending a firing alert. @default '4h' */
  readonly repeatInterval?: DurationLike;
}

/** The rendered `alertmanager.yml` and the Secrets it reads files from. */
export interface RenderedAlertmanagerConfig {
  readonly config: Record<string, unknown>;
  /** The Secrets to mount, by name, under {@link ALERTMANAGER_SECRETS_DIR}. */
  readonly secrets: readonly string[];
}

const DEFAULT_INHIBIT: readonly InhibitRuleProps[] = [
  { source: [{ label: 'severity', value: 'critical' }], target: [{ label: 'severity', op: '=~', value: 'warning|info' }], equal: ['cluster', 'namespace', 'alertname'] },
  { source: [{ label: 'severity', value: 'warning' }], target: [{ label: 'severity', value: 'info' }], equal: ['cluster', 'namespace', 'alertname'] },
];

function matcher(m: MatcherProps): string {
  return `${m.label}${m.op ?? '='}${JSON.stringify(m.value)}`;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One receiver's way out: its blocks (undefined: the public internet) and port. */
export interface ReceiverEgress {
  readonly receiver: string;
  readonly to: readonly Cidr[] | undefined;
  readonly port: number;
}

/**
 * Where each receiver's notifications go, on which port: a webhook's URL port; Slack's incoming
 * webhooks and PagerDuty's Events API v2 (Alertmanager's default `https://events.pagerduty.com/v2/enqueue`)
 * are https, 443 (Slack's URL is itself the secret, so its port is not read here).
 */
export function receiverEgress(scope: IConstruct, props: AlertmanagerConfigProps): ReceiverEgress[] {
  return props.receivers.map((r, i) => ({
    receiver: r.name,
    to: r.egressTo?.map((c, j) => parseAt(scope, `receivers[${i}].egressTo[${j}]`, () => Cidr.of(c))),
    port: r.kind === 'webhook' ? urlPort(scope, `receivers[${i}].url`, r.url) : 443,
  }));
}

/** Renders the Alertmanager configuration, refusing routes to receivers that do not exist. */
export function renderAlertmanagerConfig(scope: IConstruct, props: AlertmanagerConfigProps): RenderedAlertmanagerConfig {
  const names = props.receivers.map((r) => r.name);
  props.receivers.forEach((r, i) => {
    checkDnsLabel(r.name, { path: pathOf(scope), field: `receivers[${i}].name` });
    if (names.indexOf(r.name) !== i) {
      throw PlatformError.at(scope, { field: `receivers[${i}].name`, value: r.name, rule: 'repeats a receiver name', fix: 'give every receiver its own name' });
    }
  });
  const known = (field: string, name: string): string => {
    if (!names.includes(name)) {
      throw PlatformError.at(scope, {
        field, value: name, rule: `names no receiver [${names.join(', ')}]`,
        fix: 'declare the receiver in receivers, or route to one that exists',
      });
    }
    return name;
  };
  const repeat = parseAt(scope, 'repeatInterval', () => Duration.of(props.repeatInterval ?? '4h'));
  const withCritical = (receiver: string, critical: string | undefined, field: string) =>
    critical === undefined || critical === receiver ? {} : { routes: [{ receiver: known(field, critical), matchers: ['severity="critical"'] }] };

  const teamRoutes = (props.teams ?? []).flatMap((t, i) => {
    const receiver = known(`teams[${i}].receiver`, t.receiver);
    const critical = withCritical(receiver, t.criticalReceiver, `teams[${i}].criticalReceiver`);
    const byNamespace = (t.namespaces ?? []).length === 0 ? [] : [{
      receiver, matchers: [`namespace=~${JSON.stringify((t.namespaces ?? []).map(escapeRegex).join('|'))}`], ...critical,
    }];
    return [{ receiver, matchers: [matcher({ label: 'team', value: t.team })], ...critical }, ...byNamespace];
  });
  const defaultReceiver = known('defaultReceiver', props.defaultReceiver);
  const route = {
    receiver: defaultReceiver,
    group_by: ['cluster', 'namespace', 'alertname'],
    group_wait: '30s',
    group_interval: '5m',
    repeat_interval: repeat.toString(),
    routes: [
      {
        receiver: known('heartbeatReceiver', props.heartbeatReceiver),
        matchers: ['alertname="Watchdog"'],
        group_wait: '0s',
        // Alertmanager re-sends at a group_interval tick only once repeat_interval has passed since the last send:
        // equal intervals miss every other tick by jitter; a repeat just under the tick sends at every one, each minute.
        group_interval: '1m',
        repeat_interval: '55s',
      },
      ...teamRoutes,
      ...(props.defaultCriticalReceiver === undefined ? [] : [{ receiver: known('defaultCriticalReceiver', props.defaultCriticalReceiver), matchers: ['severity="critical"'] }]),
    ],
  };
  const file = (ref: SecretKeyRef) => `${ALERTMANAGER_SECRETS_DIR}/${ref.secret}/${ref.key}`;
  const secrets = new Set<string>();
  const receivers = props.receivers.map((r) => {
    switch (r.kind) {
      case 'webhook':
        if (r.credentials !== undefined) secrets.add(r.credentials.secret);
        return {
          name: r.name,
          webhook_configs: [{
            url: r.url, send_resolved: true,
            ...(r.credentials === undefined ? {} : { http_config: { authorization: { credentials_file: file(r.credentials) } } }),
          }],
        };
      case 'slack':
        secrets.add(r.apiUrl.secret);
        return { name: r.name, slack_configs: [{ api_url_file: file(r.apiUrl), channel: r.channel, send_resolved: true, title: '{{ .CommonAnnotations.summary }}' }] };
      case 'pagerduty':
        secrets.add(r.routingKey.secret);
        return { name: r.name, pagerduty_configs: [{ routing_key_file: file(r.routingKey), send_resolved: true }] };
    }
  });
  const inhibit = (props.inhibitRules ?? DEFAULT_INHIBIT).map((r) => ({
    source_matchers: r.source.map(matcher), target_matchers: r.target.map(matcher), equal: [...r.equal],
  }));
  return { config: { route, receivers, inhibit_rules: inhibit }, secrets: [...secrets].sort() };
}
