//! The few system calls the standard library does not offer safely: signalling a
//! process group and dropping privileges. Each `unsafe` block is a plain libc call whose
//! arguments are checked here.

use std::ffi::CString;

/// Sends SIGKILL to the process group `pgid` (a check command started in a group of its
/// own). Group ids 0 and 1 and ids that do not fit a `pid_t` are ignored: they never
/// name a group this program started.
#[allow(unsafe_code)]
pub(crate) fn kill_group(pgid: u32) {
    let Ok(pgid) = libc::pid_t::try_from(pgid) else {
        return;
    };
    if pgid <= 1 {
        return;
    }
    // SAFETY: kill(2) takes plain integers and has no memory-safety preconditions; a
    // negative pid addresses the process group.
    unsafe {
        libc::kill(-pgid, libc::SIGKILL);
    }
}

/// Switches to `group` then `user` (names or numeric ids), for real, effective and saved
/// ids, as ExaBGP does after setting up the addresses.
pub(crate) fn drop_privileges(user: Option<&str>, group: Option<&str>) -> Result<(), String> {
    if let Some(group) = group {
        let gid = group_id(group).ok_or_else(|| format!("unknown group '{group}'"))?;
        tracing::debug!("Dropping privileges to group {group}/{gid}");
        set_gid(gid).map_err(|e| format!("cannot switch to group {group}: {e}"))?;
    }
    if let Some(user) = user {
        let uid = user_id(user).ok_or_else(|| format!("unknown user '{user}'"))?;
        tracing::debug!("Dropping privileges to user {user}/{uid}");
        set_uid(uid).map_err(|e| format!("cannot switch to user {user}: {e}"))?;
    }
    Ok(())
}

#[allow(unsafe_code)]
fn user_id(name: &str) -> Option<libc::uid_t> {
    if let Ok(id) = name.parse() {
        return Some(id);
    }
    let name = CString::new(name).ok()?;
    // SAFETY: `name` is a valid NUL-terminated string; getpwnam returns NULL or a
    // pointer to a static record, read at once before any other libc call.
    unsafe {
        let record = libc::getpwnam(name.as_ptr());
        if record.is_null() {
            None
        } else {
            Some((*record).pw_uid)
        }
    }
}

#[allow(unsafe_code)]
fn group_id(name: &str) -> Option<libc::gid_t> {
    if let Ok(id) = name.parse() {
        return Some(id);
    }
    let name = CString::new(name).ok()?;
    // SAFETY: as in `user_id`, for getgrnam.
    unsafe {
        let record = libc::getgrnam(name.as_ptr());
        if record.is_null() {
            None
        } else {
            Some((*record).gr_gid)
        }
    }
}

#[allow(unsafe_code)]
fn set_gid(gid: libc::gid_t) -> std::io::Result<()> {
    // SAFETY: setresgid(2) takes plain integers.
    let rc = unsafe { libc::setresgid(gid, gid, gid) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[allow(unsafe_code)]
fn set_uid(uid: libc::uid_t) -> std::io::Result<()> {
    // SAFETY: setresuid(2) takes plain integers.
    let rc = unsafe { libc::setresuid(uid, uid, uid) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_by_name_and_number() {
        assert_eq!(user_id("root"), Some(0));
        assert_eq!(user_id("1234"), Some(1234));
        assert_eq!(group_id("root"), Some(0));
        assert_eq!(user_id("no-such-user-herald"), None);
        assert_eq!(user_id("nul\0byte"), None);
    }

    #[test]
    fn unknown_names_are_errors() {
        assert!(drop_privileges(Some("no-such-user-herald"), None)
            .unwrap_err()
            .contains("unknown user"));
        assert!(drop_privileges(None, Some("no-such-group-herald"))
            .unwrap_err()
            .contains("unknown group"));
    }
}
