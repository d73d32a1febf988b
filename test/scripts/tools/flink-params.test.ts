// The real-Flink build's pure helpers: Java's version, and BashJavaUtils' JVM sizing.
import { expect, test } from 'vitest';
import { javaMajorVersion, parseBashJavaUtils } from '../../../scripts/tools/flink-params.ts';

test.for([
  ['OpenJDK 17', 'openjdk version "17.0.15" 2025-04-15', 17],
  ['Java 8 (1.8.0_392)', 'openjdk version "1.8.0_392"', 8],
  ['Java 21', 'java version "21" 2023-09-19', 21],
  ['nothing it can read', 'command not found', undefined],
] as const)('java -version: %s', ([, output, major]) => {
  expect(javaMajorVersion(output)).toBe(major);
});

test('BashJavaUtils: JVM flags from the first result line, -D options from the second, log lines ignored', () => {
  const output = [
    'INFO  [] - Loading configuration property: taskmanager.numberOfTaskSlots, 1',
    'BASH_JAVA_UTILS_EXEC_RESULT:-Xmx301989887 -Xms301989887 -XX:MaxMetaspaceSize=167772160',
    'BASH_JAVA_UTILS_EXEC_RESULT:-D jobmanager.memory.off-heap.size=134217728b -D jobmanager.memory.heap.size=301989887b',
  ].join('\n');
  expect(parseBashJavaUtils(output)).toEqual({
    jvm: ['-Xmx301989887', '-Xms301989887', '-XX:MaxMetaspaceSize=167772160'],
    dynamic: ['-D', 'jobmanager.memory.off-heap.size=134217728b', '-D', 'jobmanager.memory.heap.size=301989887b'],
  });
});

test('BashJavaUtils without a result (a bad configuration): an error with its last lines', () => {
  expect(() => parseBashJavaUtils('Exception in thread "main" IllegalConfigurationException: Sum of configured memory exceeds')).toThrow(/no BASH_JAVA_UTILS_EXEC_RESULT.*\n.*IllegalConfigurationException/s);
});
