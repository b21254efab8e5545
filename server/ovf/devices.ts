// Mapping producers' device names to Vireo's NIC models, disk buses and controller kinds.
import type { OvfControllerType, OvfDiskInterface, OvfNicInterface } from './types.ts';

/** oVirt's VmInterfaceType numbers, which oVirt writes as the NIC's rasd:ResourceSubType. */
export const OVIRT_NIC_TYPE: Record<OvfNicInterface, string> = { RTL8139: '1', E1000: '2', VIRTIO: '3', E1000E: '6' };

/**
 * Maps a NIC's rasd:ResourceSubType to a Vireo NIC model. `exact` is false when the source model has
 * no equivalent and the nearest one was chosen (the caller warns).
 */
export function mapNicModel(subType: string | null): { model: OvfNicInterface; exact: boolean } {
  const s = (subType ?? '').trim().toLowerCase();
  switch (s) {
    case '3':
    case 'pv':
    case 'virtio':
    case 'virtio-net':
    case 'virtio_net':
    case 'virtionet':
      return { model: 'VIRTIO', exact: true };
    case '2':
    case 'e1000':
    case '82540em':
    case '82543gc':
    case '82545em':
      return { model: 'E1000', exact: true };
    case '6':
    case 'e1000e':
      return { model: 'E1000E', exact: true };
    case '1':
    case 'rtl8139':
      return { model: 'RTL8139', exact: true };
    case '0': // oVirt's deprecated "Dual mode rtl8139, VirtIO"
    case 'vmxnet':
    case 'vmxnet2':
    case 'vmxnet3':
    case 'virtualvmxnet3':
      return { model: 'VIRTIO', exact: false }; // paravirtual → paravirtual
    default:
      return { model: 'E1000', exact: false }; // PCNet32, unknown: the most widely supported emulated model
  }
}

/** Maps oVirt's ovf:disk-interface to a Vireo disk bus. */
export function mapOvirtDiskInterface(value: string | null): { bus: OvfDiskInterface; exact: boolean } {
  switch ((value ?? '').trim().toLowerCase()) {
    case 'virtio':
      return { bus: 'VIRTIO', exact: true };
    case 'virtio_scsi':
      return { bus: 'VIRTIO_SCSI', exact: true };
    case 'ide':
      return { bus: 'IDE', exact: true };
    case 'sata':
      return { bus: 'SATA', exact: true };
    default:
      return { bus: 'VIRTIO_SCSI', exact: false }; // SPAPR_VSCSI, unknown
  }
}

/** The string oVirt writes as ovf:disk-interface. */
export const OVIRT_DISK_INTERFACE: Record<OvfDiskInterface, string> = {
  VIRTIO: 'VirtIO',
  VIRTIO_SCSI: 'VirtIO_SCSI',
  IDE: 'IDE',
  SATA: 'SATA',
};

/**
 * Classifies a CIM storage controller item (rasd:ResourceType 5, 6 or 20) by type and sub-type;
 * null when it is not a storage controller.
 */
export function mapCimController(resourceType: string, subType: string | null): OvfControllerType | null {
  const s = (subType ?? '').toLowerCase();
  if (resourceType === '5') return 'IDE';
  if (resourceType === '6') return s.includes('virtio') ? 'VIRTIO_SCSI' : 'SCSI';
  if (resourceType === '20') {
    if (s.includes('sata') || s === 'ahci') return 'SATA';
    if (s.includes('virtio')) return 'VIRTIO_SCSI';
    if (s.includes('ide') || s === 'piix3' || s === 'piix4' || s === 'ich6') return 'IDE';
    if (s.includes('scsi') || s.includes('lsi') || s === 'buslogic') return 'SCSI';
  }
  return null;
}

/** The disk bus a disk on a controller of this kind gets; SCSI (LSI, BusLogic…) becomes virtio-scsi. */
export function busForController(type: OvfControllerType | undefined): { bus: OvfDiskInterface; exact: boolean } {
  switch (type) {
    case 'IDE':
      return { bus: 'IDE', exact: true };
    case 'SATA':
      return { bus: 'SATA', exact: true };
    case 'VIRTIO_SCSI':
      return { bus: 'VIRTIO_SCSI', exact: true };
    case 'SCSI':
      return { bus: 'VIRTIO_SCSI', exact: false };
    default:
      return { bus: 'VIRTIO', exact: false };
  }
}

/** oVirt's device names for controllers (VmDevice `device` of type `controller`). */
export const OVIRT_CONTROLLER_DEVICE: Record<OvfControllerType, string> = {
  IDE: 'ide',
  SCSI: 'scsi',
  SATA: 'sata',
  VIRTIO_SCSI: 'virtio-scsi',
};

/** Reads an oVirt controller device name back; null for a controller that is not for storage. */
export function mapOvirtControllerDevice(device: string): OvfControllerType | null {
  const found = (Object.entries(OVIRT_CONTROLLER_DEVICE) as [OvfControllerType, string][]).find(([, d]) => d === device.toLowerCase());
  return found ? found[0] : null;
}

/** Normalises a MAC address to lower-case colon form; null when it is not one. */
export function normaliseMac(value: string | null | undefined): string | null {
  const hex = (value ?? '').replace(/[:\-.\s]/g, '').toLowerCase();
  if (!/^[0-9a-f]{12}$/.test(hex)) return null;
  return hex.match(/../g)!.join(':');
}
