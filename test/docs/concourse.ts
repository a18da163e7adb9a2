// What `fly validate-pipeline` checks of a Concourse pipeline, for the example in docs/ci.md (fly is not
// on npm or apt): the shape of jobs, steps and task configs, and that every name a step uses is declared.
// Returns the problems, each with its path in the pipeline, so a test shows all of them at once.

type Value = unknown;
const isRecord = (v: Value): v is Record<string, Value> => typeof v === 'object' && v !== null && !Array.isArray(v);

const TOP = ['resources', 'resource_types', 'jobs', 'groups', 'var_sources', 'display'];
const STEP_KINDS = ['get', 'put', 'task', 'set_pipeline', 'load_var', 'in_parallel', 'do', 'try'];
const STEP_MODIFIERS = [
  'trigger',
  'passed',
  'params',
  'version',
  'resource',
  'inputs',
  'get_params',
  'no_get',
  'config',
  'file',
  'image',
  'privileged',
  'vars',
  'container_limits',
  'input_mapping',
  'output_mapping',
  'timeout',
  'attempts',
  'tags',
  'on_success',
  'on_failure',
  'on_error',
  'on_abort',
  'ensure',
  'across',
  'limit',
  'fail_fast',
  'steps',
];
const JOB_KEYS = ['name', 'plan', 'serial', 'serial_groups', 'max_in_flight', 'build_log_retention', 'public', 'disable_manual_trigger'];
const TASK_KEYS = ['platform', 'image_resource', 'rootfs_uri', 'inputs', 'outputs', 'caches', 'params', 'run', 'container_limits'];

interface Scope {
  readonly resources: ReadonlySet<string>;
  readonly jobs: ReadonlySet<string>;
  /** Artifacts a task may take: what earlier steps of the plan got or produced. */
  readonly artifacts: Set<string>;
  readonly problems: string[];
}

function unknownKeys(value: Record<string, Value>, allowed: readonly string[], at: string, problems: string[]): void {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) problems.push(`${at}: unknown key '${key}'`);
}

function checkTaskConfig(config: Value, at: string, scope: Scope): void {
  if (!isRecord(config)) return void scope.problems.push(`${at}: a task needs a config (or a file)`);
  unknownKeys(config, TASK_KEYS, at, scope.problems);
  if (typeof config['platform'] !== 'string') scope.problems.push(`${at}: platform is required`);
  const image = config['image_resource'];
  if (!isRecord(image) || typeof image['type'] !== 'string' || !isRecord(image['source']))
    scope.problems.push(`${at}: image_resource needs a type and a source`);
  const run = config['run'];
  if (!isRecord(run) || typeof run['path'] !== 'string') scope.problems.push(`${at}: run.path is required`);
  else if (run['args'] !== undefined && !(Array.isArray(run['args']) && run['args'].every((a) => typeof a === 'string')))
    scope.problems.push(`${at}: run.args must be a list of strings`);
  for (const input of (config['inputs'] as Value[] | undefined) ?? []) {
    const name = isRecord(input) ? input['name'] : undefined;
    if (typeof name !== 'string' || !scope.artifacts.has(name))
      scope.problems.push(`${at}: input ${String(name)} is not got earlier in the plan`);
  }
  for (const output of (config['outputs'] as Value[] | undefined) ?? [])
    if (isRecord(output) && typeof output['name'] === 'string') scope.artifacts.add(output['name']);
  for (const [name, value] of Object.entries(isRecord(config['params']) ? config['params'] : {}))
    if (typeof value !== 'string') scope.problems.push(`${at}: param ${name} must be a string (quote it)`);
}

function checkStep(step: Value, at: string, scope: Scope): void {
  if (!isRecord(step)) return void scope.problems.push(`${at}: a step must be a mapping`);
  const kinds = STEP_KINDS.filter((k) => k in step);
  if (kinds.length !== 1) return void scope.problems.push(`${at}: a step needs exactly one of ${STEP_KINDS.join(', ')}`);
  unknownKeys(step, [...STEP_KINDS, ...STEP_MODIFIERS], at, scope.problems);
  const kind = kinds[0] as string;
  if (kind === 'get' || kind === 'put') {
    const resource = typeof step['resource'] === 'string' ? step['resource'] : step[kind];
    if (typeof resource !== 'string' || !scope.resources.has(resource))
      scope.problems.push(`${at}: ${kind} names no declared resource (${String(resource)})`);
    if (kind === 'get') scope.artifacts.add(String(step['get']));
    for (const job of (step['passed'] as Value[] | undefined) ?? [])
      if (typeof job !== 'string' || !scope.jobs.has(job)) scope.problems.push(`${at}: passed names no job (${String(job)})`);
  } else if (kind === 'task') {
    if (step['file'] === undefined) checkTaskConfig(step['config'], `${at}.config`, scope);
  } else if (kind === 'in_parallel' || kind === 'do') {
    const inner = isRecord(step[kind]) ? (step[kind] as Record<string, Value>)['steps'] : step[kind];
    (Array.isArray(inner) ? inner : []).forEach((s, i) => checkStep(s, `${at}.${kind}[${i}]`, scope));
  }
}

/** The problems `fly validate-pipeline` would report (the ones above), or none. */
export function concourseProblems(pipeline: Value): string[] {
  const problems: string[] = [];
  if (!isRecord(pipeline)) return ['the pipeline must be a mapping'];
  unknownKeys(pipeline, TOP, 'pipeline', problems);
  const resources = Array.isArray(pipeline['resources']) ? pipeline['resources'] : [];
  resources.forEach((r, i) => {
    if (!isRecord(r) || typeof r['name'] !== 'string' || typeof r['type'] !== 'string' || !isRecord(r['source']))
      problems.push(`resources[${i}]: needs a name, a type and a source`);
  });
  const jobs = Array.isArray(pipeline['jobs']) ? pipeline['jobs'] : [];
  if (jobs.length === 0) problems.push('pipeline: no jobs');
  const names = (list: Value[]): Set<string> => new Set(list.filter(isRecord).map((v) => String(v['name'])));
  const scope = { resources: names(resources), jobs: names(jobs), problems };
  jobs.forEach((job, i) => {
    const at = `jobs[${i}]`;
    if (!isRecord(job) || typeof job['name'] !== 'string' || !Array.isArray(job['plan']))
      return void problems.push(`${at}: a job needs a name and a plan`);
    unknownKeys(job, JOB_KEYS, at, problems);
    const jobScope = { ...scope, artifacts: new Set<string>() };
    job['plan'].forEach((step, j) => checkStep(step, `${at}.plan[${j}]`, jobScope));
  });
  return problems;
}
