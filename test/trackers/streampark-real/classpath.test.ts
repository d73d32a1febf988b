import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { consoleClasspath } from '../../../src/trackers/streampark-real/classpath.ts';
import { streamparkMavenDir } from '../../../scripts/tools/streampark-maven.ts';

describe('the real StreamPark trackers: classpath and build inputs', () => {
  test('the classpath lists the jars as streampark.sh does: by name, without the Flink shims', () => {
    expect(consoleClasspath(['scala-library-2.12.18.jar', 'streampark-flink-shims_flink-1.14_2.12-2.1.3.jar', 'README', 'HikariCP-3.4.5.jar', 'streampark-flink-shims-base_2.12-2.1.3.jar', 'streampark-common_2.12-2.1.3.jar']))
      .toEqual(['HikariCP-3.4.5.jar', 'scala-library-2.12.18.jar', 'streampark-common_2.12-2.1.3.jar', 'streampark-flink-shims-base_2.12-2.1.3.jar']);
  });

  test('the module jars are beside the clone unless STATUSCHAOS_STREAMPARK_MAVEN says otherwise', () => {
    expect(streamparkMavenDir('/work/clone', {})).toBe(resolve('/work/shared/systems/streampark/maven'));
    expect(streamparkMavenDir('/work/clone', { STATUSCHAOS_STREAMPARK_MAVEN: 'elsewhere' })).toBe(join(process.cwd(), 'elsewhere'));
  });
});
