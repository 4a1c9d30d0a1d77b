/** The server's Prometheus metrics, in a registry of its own (several apps in one process do not collide). */
import {collectDefaultMetrics, Counter, Gauge, Histogram, Registry} from 'prom-client'
import type {Waiters} from './waiters.js'

export class ServerMetrics {
  readonly registry = new Registry()
  readonly requests = new Counter({
    name: 'sync_http_requests_total',
    help: 'HTTP requests by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  })
  readonly inFlight = new Gauge({name: 'sync_http_requests_in_flight', help: 'Requests being handled now (long-polls included)', registers: [this.registry]})
  readonly latency = new Histogram({
    name: 'sync_http_request_duration_seconds',
    help: 'Time to answer a request, by route (long-polls include their wait)',
    labelNames: ['route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 60],
    registers: [this.registry],
  })
  readonly commitItems = new Counter({
    name: 'sync_commit_items_total',
    help: 'Commit items by result: committed, unchanged, conflict, missing',
    labelNames: ['status'] as const,
    registers: [this.registry],
  })
  readonly entries = new Counter({name: 'sync_journal_entries_total', help: 'Journal entries written', registers: [this.registry]})
  readonly bytesIn = new Counter({name: 'sync_http_received_bytes_total', help: 'Bytes read from clients, headers included', registers: [this.registry]})
  readonly bytesOut = new Counter({name: 'sync_http_sent_bytes_total', help: 'Bytes written to clients, headers included', registers: [this.registry]})
  readonly chunksStored = new Counter({name: 'sync_chunks_stored_total', help: 'Chunks new to their namespace, stored', registers: [this.registry]})
  readonly errors = new Counter({
    name: 'sync_errors_total',
    help: 'Error answers by code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  })

  readonly gcReclaimed = new Counter({name: 'sync_gc_reclaimed_bytes_total', help: 'Pack file bytes garbage collection reclaimed', registers: [this.registry]})
  readonly gcPruned = new Counter({name: 'sync_gc_pruned_versions_total', help: 'Versions retention pruned', registers: [this.registry]})
  readonly gcLastRun = new Gauge({
    name: 'sync_gc_last_run_timestamp_seconds',
    help: 'When the last garbage collection ended (0: none yet)',
    registers: [this.registry],
  })
  readonly gcDuration = new Gauge({name: 'sync_gc_duration_seconds', help: 'How long the last garbage collection took', registers: [this.registry]})
  readonly gcFailures = new Counter({name: 'sync_gc_failures_total', help: 'Garbage collections that stopped on an error', registers: [this.registry]})

  constructor(waiters: Waiters) {
    // The process's own: memory (heap, external, RSS), event loop lag, GC, handles.
    collectDefaultMetrics({register: this.registry})
    new Gauge({
      name: 'sync_longpoll_waiters',
      help: 'Long-poll requests waiting for a commit',
      registers: [this.registry],
      collect() {
        this.set(waiters.count)
      },
    })
  }
}
