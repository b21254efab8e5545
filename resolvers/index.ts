// Root fields of each area, imported for their side effects.
import './dataCenter.ts';
