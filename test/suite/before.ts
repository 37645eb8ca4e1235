// Runs once before the whole suite (.taprc `before`): starts the suite's log capture afresh.
import { rmSync, mkdirSync } from 'node:fs'
import { SUITE_LOG_DIR } from '../fixtures/log-capture.js'

rmSync(SUITE_LOG_DIR, { recursive: true, force: true })
mkdirSync(SUITE_LOG_DIR, { recursive: true })
