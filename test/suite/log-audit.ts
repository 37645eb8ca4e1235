// Runs once after the whole suite (.taprc `after`): every log line every server wrote during the tests
// must be free of secrets — the API secrets, client secrets and cookie values the tests recorded,
// anything token-shaped (JWTs: Authsignal tokens, ID tokens), and password values. A finding fails the run.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { SUITE_LOG_DIR } from '../fixtures/log-capture.js'

const JWT = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/
const PASSWORD_VALUE = /"password"\s*:\s*"(?!\[redacted\])[^"]+"|[?&]password=[^&\s"]+/i

const files = existsSync(SUITE_LOG_DIR) ? readdirSync(SUITE_LOG_DIR) : []
const secrets = new Set<string>()
for (const file of files.filter(f => f.endsWith('.secrets'))) {
  for (const line of readFileSync(join(SUITE_LOG_DIR, file), 'utf8').split('\n')) if (line.length >= 8) secrets.add(line)
}

const findings: string[] = []
let lines = 0
const logs = files.filter(f => f.endsWith('.ndjson'))
for (const file of logs) {
  const text = readFileSync(join(SUITE_LOG_DIR, file), 'utf8')
  for (const [index, line] of text.split('\n').entries()) {
    if (line === '') continue
    lines++
    const where = `${file}:${index + 1}`
    if (JWT.test(line)) findings.push(`${where}: a token-shaped string`)
    if (PASSWORD_VALUE.test(line)) findings.push(`${where}: a password value`)
    for (const secret of secrets) {
      if (line.includes(secret)) findings.push(`${where}: a recorded secret starting ${JSON.stringify(secret.slice(0, 3))} (${secret.length} chars)`)
    }
  }
}

if (findings.length > 0) {
  console.log(`not ok - log audit: ${findings.length} finding(s) in ${lines} log lines`)
  for (const finding of findings.slice(0, 50)) console.log(`  # ${finding}`)
  process.exitCode = 1
} else {
  console.log(`# log audit: ${lines} log lines from ${logs.length} server logs searched for ${secrets.size} recorded secrets, tokens and passwords: none found`)
}
