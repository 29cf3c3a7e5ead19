import { s, type AlertCase, type RuleCases, type Series } from './types';

// The burn alerts of the SLOs clusters/services/orders.ts puts on orders-api (30 days in prod, 7 in
// stage and e2e: every case below fires or stays quiet under both periods' factors). A new SLO in a
// cluster definition needs its cases here: check.ts fails on an alert without them.

const API = 'namespace="shop",service="orders-api"';
const ids = (slo: string) => ({ namespace: 'shop', sloth_id: `orders-api-${slo}`, sloth_service: 'orders-api', sloth_slo: slo });

/** Requests of orders-api, `perSample` a sample, `errorShare` of them 5xx. */
function requests(errorShare: number, perSample = 600): Series[] {
  const bad = perSample * errorShare;
  return [
    s(`http_requests_total{${API},code="500"}`, `0+${bad}x40`),
    s(`http_requests_total{${API},code="200"}`, `0+${perSample - bad}x40`),
  ];
}

/** Requests of orders-api, `slowShare` of them slower than the SLO's 300 ms bucket. */
function latencies(slowShare: number, perSample = 600): Series[] {
  return [
    s(`http_request_duration_seconds_count{${API}}`, `0+${perSample}x40`),
    s(`http_request_duration_seconds_bucket{${API},le="0.3"}`, `0+${perSample * (1 - slowShare)}x40`),
  ];
}

const quiet = (series: Series[]): AlertCase => ({ series, alerts: [] });

/** The SLO alerts of the clusters' services. */
export function sloCases(): RuleCases {
  return {
    // 99.9%: 20% errors is above every page factor (14.4x, 13.44x the 0.1% budget); 0.05% is below every factor of either period.
    OrdersApiAvailabilityBurnRatePage: { fires: { series: requests(0.2), alerts: [ids('availability')] }, quiet: quiet(requests(0.0005)) },
    // 0.5% errors: above the ticket factors (3x and 1x for 30 days, 1.4x and 0.98x for 7).
    OrdersApiAvailabilityBurnRateTicket: { fires: { series: requests(0.005), alerts: [ids('availability')] }, quiet: quiet(requests(0.0005)) },
    // 99% within 300 ms, tickets only: 5% slow is above 3x the 1% budget; 0.5% slow is below 0.98x.
    OrdersApiLatencyBurnRateTicket: { fires: { series: latencies(0.05), alerts: [ids('latency')] }, quiet: quiet(latencies(0.005)) },
  };
}
