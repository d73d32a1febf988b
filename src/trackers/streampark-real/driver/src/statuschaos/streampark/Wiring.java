package statuschaos.streampark;

import java.lang.reflect.Field;

/** What Spring's @Autowired does for the console's classes: set a field by name. */
final class Wiring {
  private Wiring() {}

  /** Sets `target`'s field `name` (declared on its class or a superclass); a missing field means the wrong StreamPark on the classpath. */
  static void inject(Object target, String name, Object value) {
    for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
      try {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        field.set(target, value);
        return;
      } catch (NoSuchFieldException e) {
        // look in the superclass
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot set " + type.getName() + "." + name + ": " + e, e);
      }
    }
    throw new IllegalStateException(target.getClass().getName() + " has no field " + name + ": the classes on the classpath are not the StreamPark version the driver was asked to run");
  }
}
