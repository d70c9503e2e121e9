/** Generated districts on disk for the benchmarks that run the command over many school files. */
import { linkSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeBook } from '../../src/cli/io';
import { demoDefinitions, generateManySchools, schoolFormPlan } from '../../src/demo';

/** `count` generated schools, their definitions, and each school's form written to `dir/all`. */
export async function writeSchools(dir: string, count: number) {
  const schools = generateManySchools(count);
  const defs = demoDefinitions(schools);
  const all = path.join(dir, 'all');
  mkdirSync(all);
  for (const s of schools) writeFileSync(path.join(all, `${s.code}.xlsx`), await writeBook([schoolFormPlan(defs, s)]));
  return { schools, defs, all };
}

/** A folder `dir/n‹n›` of hard links to the first `n` forms, with a roster of those `n` schools beside it. */
export function firstSchools(dir: string, district: Awaited<ReturnType<typeof writeSchools>>, n: number): { sub: string; roster: string } {
  const sub = path.join(dir, `n${n}`);
  mkdirSync(sub);
  for (const s of district.schools.slice(0, n)) linkSync(path.join(district.all, `${s.code}.xlsx`), path.join(sub, `${s.code}.xlsx`));
  const roster = path.join(dir, `roster-${n}.json`);
  writeFileSync(roster, JSON.stringify({ roster: district.defs.roster.slice(0, n) }));
  return { sub, roster };
}
