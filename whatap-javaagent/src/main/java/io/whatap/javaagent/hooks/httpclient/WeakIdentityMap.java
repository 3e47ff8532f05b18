package io.whatap.javaagent.hooks.httpclient;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values kept against objects the agent cannot add a field to (a JDK class retransformed in place):
 * keys compared by identity and held weakly, entries of collected keys dropped on the next put.
 * Lock-free reads (a {@link ConcurrentHashMap}); one small key object per lookup.
 */
final class WeakIdentityMap<V> {
  private final ConcurrentHashMap<Key, V> map = new ConcurrentHashMap<>();
  private final ReferenceQueue<Object> collected = new ReferenceQueue<>();

  V get(Object key) {
    return map.get(new Key(key, null));
  }

  void put(Object key, V value) {
    for (Object k; (k = collected.poll()) != null; ) {
      map.remove(k);
    }
    map.put(new Key(key, collected), value);
  }

  V remove(Object key) {
    return map.remove(new Key(key, null));
  }

  int size() {
    return map.size();
  }

  private static final class Key extends WeakReference<Object> {
    private final int hash;

    Key(Object referent, ReferenceQueue<Object> queue) {
      super(referent, queue);
      hash = System.identityHashCode(referent);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      if (this == o) {
        return true;
      }
      if (!(o instanceof Key)) {
        return false;
      }
      Object mine = get();
      return mine != null && mine == ((Key) o).get();
    }
  }
}
